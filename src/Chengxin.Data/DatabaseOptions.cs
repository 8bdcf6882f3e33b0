using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Data;

/// <summary><c>Database:Provider</c> and <c>Database:ConnectionString</c> (EXCHANGE.md).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string DefaultSqliteFile = "data/chengxin.db";
    public const string DefaultSqlite = "Data Source=" + DefaultSqliteFile;

    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public string EffectiveConnectionString => ConnectionString is { Length: > 0 } s ? s : DefaultSqlite;

    /// <summary>
    /// Puts the default SQLite database in the content root, like the development keys, rather than
    /// wherever the binary was started from; a configured connection string is left as it is.
    /// </summary>
    public void PlaceDefaultIn(string contentRoot)
    {
        if (IsPostgres || EffectiveConnectionString != DefaultSqlite)
        {
            return;
        }
        var path = Path.GetFullPath(Path.Combine(contentRoot, DefaultSqliteFile));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ConnectionString = $"Data Source={path}";
    }

    /// <summary>
    /// The hot queries (a person by blind index, their records, an authorisation) run thousands of
    /// times a second: Npgsql prepares each after its second use and keeps it across pooled
    /// connections, unless the connection string says otherwise. A pooled connection is not reset
    /// when returned (that costs the server several statements per query): the platform keeps no
    /// session state, its locks end with their transactions.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(connectionString, "AutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!Sets(connectionString, "ResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    // Npgsql accepts a keyword with or without its spaces ("Max Auto Prepare", "MaxAutoPrepare").
    private static bool Sets(string connectionString, string keyword) =>
        connectionString.Replace(" ", "", StringComparison.Ordinal).Contains(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Configures the context for the chosen provider, with that provider's migrations assembly.</summary>
    public void Apply(DbContextOptionsBuilder builder)
    {
        if (IsPostgres)
        {
            builder.UseNpgsql(WithPreparedStatements(EffectiveConnectionString), o => o.MigrationsAssembly("Chengxin.Migrations.Postgres"));
        }
        else
        {
            builder.UseSqlite(EffectiveConnectionString, o => o.MigrationsAssembly("Chengxin.Migrations.Sqlite"));
        }
        builder.UseOpenIddict();
    }
}
