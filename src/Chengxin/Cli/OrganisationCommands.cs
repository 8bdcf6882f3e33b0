using System.CommandLine;
using Chengxin.Organisations;

namespace Chengxin.Cli;

/// <summary><c>chengxin orgs add|list</c>.</summary>
public static class OrganisationCommands
{
    public static Command Create()
    {
        var code = new Option<string>("--code") { Description = "The organisation's unified social credit code.", Required = true };
        var name = new Option<string?>("--name") { Description = "Its name (required the first time)." };
        var nameEn = new Option<string?>("--name-en") { Description = "Its English name." };
        var kind = new Option<string?>("--kind") { Description = $"One of {string.Join(", ", OrganisationKinds.All)} (default: department)." };
        var provides = new Option<string[]>("--provides") { Description = "Catalog items it provides (repeatable).", AllowMultipleArgumentsPerToken = true };
        var uses = new Option<bool>("--uses") { Description = "A user department: it runs checks and shares data." };
        var add = new Command("add", "Register an organisation, or add catalog items it provides; prints it as JSON.") { code, name, nameEn, kind, provides, uses };
        add.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var (organisation, problems) = await services.GetRequiredService<OrganisationService>().RegisterAsync(
                new OrganisationRegistration(parse.GetValue(code)!, parse.GetValue(name) ?? "", parse.GetValue(nameEn), parse.GetValue(kind), parse.GetValue(provides) ?? [], parse.GetValue(uses)), ct);
            if (organisation is null)
            {
                return PlatformCommand.Fail(problems);
            }
            PlatformCommand.Print(organisation);
            return 0;
        }, cancellationToken));

        var list = new Command("list", "List the registered organisations as JSON.");
        list.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            PlatformCommand.Print(await services.GetRequiredService<OrganisationService>().ListAsync(ct));
            return 0;
        }, cancellationToken));
        return new Command("orgs", "Organisations: departments, courts, schools, associations, agencies, platforms.") { add, list };
    }
}
