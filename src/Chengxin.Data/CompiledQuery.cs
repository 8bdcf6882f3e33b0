using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Chengxin.Data;

/// <summary>
/// An EF Core compiled query for the hottest reads, compiled once per model. A compiled query skips
/// translating and looking up the LINQ query on every call, but binds to the database provider of the
/// first context it runs on; a process that opens SQLite and PostgreSQL platforms (the tests) needs one per model.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _perModel = [];

    public TQuery For(DbContext db) => _perModel.GetValue(db.Model, _ => compile());
}
