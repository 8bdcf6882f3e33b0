using Chengxin.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Chengxin.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for PostgreSQL.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ChengxinDb>
{
    public ChengxinDb CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ChengxinDb>();
        new DatabaseOptions { Provider = "postgres", ConnectionString = "Host=localhost;Database=design" }.Apply(builder);
        return new ChengxinDb(builder.Options);
    }
}
