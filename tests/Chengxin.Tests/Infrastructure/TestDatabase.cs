using Npgsql;

namespace Chengxin.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test platform: a SQLite file in a temporary folder, or a new
/// database on the throwaway PostgreSQL cluster that test.sh starts (CHENGXIN_TEST_POSTGRES).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnection;
    private readonly string? _name;

    private TestDatabase(string provider, string connectionString, string? adminConnection, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _adminConnection = adminConnection;
        _name = name;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string provider, string folder)
    {
        if (provider == "sqlite")
        {
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "chengxin.db")}", null, null);
        }
        var admin = Environment.GetEnvironmentVariable("CHENGXIN_TEST_POSTGRES")
            ?? throw new InvalidOperationException("CHENGXIN_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts a PostgreSQL cluster.");
        var name = "chengxin_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnection is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
