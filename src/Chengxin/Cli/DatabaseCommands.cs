using System.CommandLine;
using Chengxin.Data;

namespace Chengxin.Cli;

/// <summary><c>chengxin db migrate|grant</c>.</summary>
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
        var role = new Option<string>("--role") { Description = "The existing PostgreSQL role the platform runs as (it must not own the tables).", Required = true };
        var grant = new Command("grant", "PostgreSQL: give the application role what it needs and no more: it can add to the audit tables but never change or delete them. Run as the owner, after every migrate.") { role };
        grant.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var name = parse.GetValue(role)!;
            if (!ApplicationRole.IsValidName(name))
            {
                return PlatformCommand.Fail([$"--role: '{name}' is not a plain PostgreSQL role name (lower-case letters, digits, underscores)."]);
            }
            await ApplicationRole.GrantAsync(services.GetRequiredService<ChengxinDb>(), name, ct);
            Console.WriteLine($"{name} may read and write the platform's data, and only add to {string.Join(", ", ApplicationRole.AppendOnly)} and {ApplicationRole.Registrations}.");
            return 0;
        }, cancellationToken));
        return new Command("db", "Database administration.") { migrate, grant };
    }
}
