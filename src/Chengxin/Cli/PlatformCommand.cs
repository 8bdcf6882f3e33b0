using System.CommandLine;
using System.Text.Json;
using Chengxin.Hosting;
using Microsoft.Extensions.Options;

namespace Chengxin.Cli;

/// <summary>What the admin verbs share: starting the platform's services without serving, and clear failures.</summary>
public static class PlatformCommand
{
    // For a terminal, not a web page: secrets with + and /, and Chinese names, are printed as they are, so they can be copied.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs <paramref name="work"/> against a migrated database; configuration problems print one line each and exit 2.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = PlatformHost.Build([.. parse.UnmatchedTokens], builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    // Verbs print their results on standard output; logs go to standard error.
                    ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
                    ["Logging:LogLevel:Default"] = "Warning",
                }));
            await PlatformHost.PrepareAsync(app, demo: false, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception e) when (Explain(e) is { } lines)
        {
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync($"chengxin: {line}");
            }
            return 2;
        }
    }

    /// <summary>The readable lines for a failure a user can fix, or null for a genuine bug.</summary>
    public static IReadOnlyList<string>? Explain(Exception e) => e switch
    {
        StartupException s => s.Problems,
        OptionsValidationException o => o.Failures.ToList(),
        Npgsql.NpgsqlException n => [$"cannot use the PostgreSQL database: {n.Message}"],
        Microsoft.Data.Sqlite.SqliteException s => [$"cannot use the SQLite database: {s.Message}"],
        _ => null,
    };

    public static void Print<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int Fail(IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"chengxin: {problem}");
        }
        return 1;
    }
}
