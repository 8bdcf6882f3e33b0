using System.CommandLine;
using Chengxin.Data;

namespace Chengxin.Cli;

/// <summary><c>chengxin db migrate</c>.</summary>
public static class DatabaseCommands
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Create the database if needed and apply every migration (also done on every start).");
        migrate.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, (services, _) =>
        {
            var database = services.GetRequiredService<DatabaseOptions>();
            Console.WriteLine($"The {database.Provider} database is migrated to the latest version.");
            return Task.FromResult(0);
        }, cancellationToken));
        return new Command("db", "Database administration.") { migrate };
    }
}
