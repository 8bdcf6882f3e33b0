using Chengxin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Chengxin.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for SQLite.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ChengxinDb>
{
    public ChengxinDb CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ChengxinDb>();
        new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=design.db" }.Apply(builder);
        return new ChengxinDb(builder.Options);
    }
}
