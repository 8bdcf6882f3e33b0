using System.CommandLine;
using Chengxin.Exchange;

namespace Chengxin.Cli;

/// <summary><c>chengxin receivers add|list</c>: who receives which items' changes, by feed and webhook.</summary>
public static class ReceiverCommands
{
    public static Command Create()
    {
        var org = new Option<string>("--org") { Description = "The receiving organisation's unified social credit code.", Required = true };
        var items = new Option<string[]>("--item") { Description = "Catalog items to receive (repeatable); only items it is entitled to.", Required = true, AllowMultipleArgumentsPerToken = true };
        var webhook = new Option<string?>("--webhook") { Description = "An https:// address to deliver changes to; its signing secret is printed once." };
        var add = new Command("add", "Subscribe an organisation to items' changes (feed, and webhook if given).") { org, items, webhook };
        add.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var (secret, problems) = await services.GetRequiredService<ReceiverService>().SubscribeAsync(parse.GetValue(org)!, parse.GetValue(items) ?? [], parse.GetValue(webhook), ct);
            if (problems.Count > 0)
            {
                return PlatformCommand.Fail(problems);
            }
            PlatformCommand.Print(new { organisation = parse.GetValue(org), items = parse.GetValue(items), webhook = parse.GetValue(webhook), webhookSecret = secret });
            return 0;
        }, cancellationToken));
        var list = new Command("list", "List receivers with their delivery status.");
        list.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            PlatformCommand.Print(await services.GetRequiredService<ReceiverService>().ListAsync(ct));
            return 0;
        }, cancellationToken));
        return new Command("receivers", "Receivers of record changes: city platforms, the financial credit database, agencies, departments.") { add, list };
    }
}
