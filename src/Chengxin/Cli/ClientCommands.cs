using System.CommandLine;
using Chengxin.Clients;

namespace Chengxin.Cli;

/// <summary><c>chengxin clients add|list|revoke</c>.</summary>
public static class ClientCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "What the system is, e.g. \"Market regulation case system\".", Required = true };
        var org = new Option<string>("--org") { Description = "The unified social credit code of the organisation it belongs to.", Required = true };
        var scope = new Option<string[]>("--scope") { Description = $"Scopes it may ask for (repeatable): {string.Join(", ", ApiScopes.All)}.", Required = true, AllowMultipleArgumentsPerToken = true };
        var add = new Command("add", "Register a system; prints its clientId and clientSecret once (only a hash is kept).") { name, org, scope };
        add.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var (credentials, problems) = await services.GetRequiredService<ClientService>().AddAsync(parse.GetValue(name)!, parse.GetValue(org)!, parse.GetValue(scope) ?? [], ct);
            if (credentials is null)
            {
                return PlatformCommand.Fail(problems);
            }
            PlatformCommand.Print(credentials);
            return 0;
        }, cancellationToken));

        var list = new Command("list", "List registered systems (never their secrets).");
        list.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            PlatformCommand.Print(await services.GetRequiredService<ClientService>().ListAsync(ct));
            return 0;
        }, cancellationToken));

        var id = new Argument<string>("client-id") { Description = "The clientId to revoke." };
        var revoke = new Command("revoke", "Revoke a system: no new tokens, and its current tokens stop working.") { id };
        revoke.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            if (!await services.GetRequiredService<ClientService>().RevokeAsync(parse.GetValue(id)!, Audit.Actors.CommandLine, ct))
            {
                return PlatformCommand.Fail([$"no active client {parse.GetValue(id)}."]);
            }
            Console.WriteLine($"Revoked {parse.GetValue(id)}.");
            return 0;
        }, cancellationToken));
        return new Command("clients", "Systems that sign in with OAuth 2.0 client credentials.") { add, list, revoke };
    }
}
