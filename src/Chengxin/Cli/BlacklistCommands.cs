using System.CommandLine;
using Chengxin.Accounts;
using Chengxin.Audit;

namespace Chengxin.Cli;

/// <summary><c>chengxin blacklist add|list|remove</c>: agencies, organisations and staff who misused data.</summary>
public static class BlacklistCommands
{
    public static Command Create()
    {
        var org = new Option<string?>("--org") { Description = "The unified social credit code of the organisation to list." };
        var account = new Option<string?>("--account") { Description = "The e-mail of the portal account to list." };
        var reason = new Option<string>("--reason") { Description = "What was misused, and the decision that listed it.", Required = true };
        var add = new Command("add", "List an organisation (its systems are revoked at once) or an account (locked, sessions ended).") { org, account, reason };
        add.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var blacklist = services.GetRequiredService<BlacklistService>();
            var (entry, problem) = (parse.GetValue(org), parse.GetValue(account)) switch
            {
                ({ } code, null) => await blacklist.ListOrganisationAsync(code, parse.GetValue(reason)!, Actors.CommandLine, ct),
                (null, { } email) => await blacklist.ListAccountAsync(email, parse.GetValue(reason)!, Actors.CommandLine, ct),
                _ => (null, "Name exactly one of --org or --account."),
            };
            if (entry is null)
            {
                return PlatformCommand.Fail([problem!]);
            }
            PlatformCommand.Print(entry);
            return 0;
        }, cancellationToken));

        var list = new Command("list", "Every entry, current and removed.");
        list.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            PlatformCommand.Print(await services.GetRequiredService<BlacklistService>().ListAsync(ct));
            return 0;
        }, cancellationToken));

        var id = new Argument<Guid>("id") { Description = "The entry to remove (the listing stays on record)." };
        var remove = new Command("remove", "Take an entry off the blacklist.") { id };
        remove.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
            await services.GetRequiredService<BlacklistService>().RemoveAsync(parse.GetValue(id), Actors.CommandLine, ct)
                ? 0
                : PlatformCommand.Fail([$"no current entry {parse.GetValue(id)}."]), cancellationToken));
        return new Command("blacklist", "Credit agencies, organisations and staff who misused data: refused while listed.") { add, list, remove };
    }
}
