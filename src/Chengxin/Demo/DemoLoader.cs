using System.Reflection;
using System.Text.Json;
using Chengxin.Accounts;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Organisations;
using Chengxin.Records;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Demo;

/// <summary>
/// Loads the synthetic demo data set: organisations, people with valid but invented identity numbers,
/// their roles at companies, and records of every catalog category. Everything it writes is marked
/// synthetic. It is loaded only when asked (<c>--demo</c>), and loading it twice changes nothing.
/// </summary>
public sealed class DemoLoader(
    ChengxinDb db,
    OrganisationService organisations,
    SubjectRegistry subjects,
    PushService push,
    DemoAccounts accounts,
    DemoHistory history,
    ILogger<DemoLoader> logger)
{
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var data = Read<DemoData>("Chengxin.Demo.demo-data.json");
        var orgs = Read<DemoOrganisations>("Chengxin.Demo.organisations.json");
        if (!data.Synthetic)
        {
            throw new InvalidOperationException("The demo data set must be marked synthetic.");
        }

        var orgIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var o in orgs.Organisations)
        {
            var (view, problems) = await organisations.RegisterAsync(new OrganisationRegistration(o.Code, o.Name.Zh, o.Name.En, o.Kind, o.Provides, o.Uses, Synthetic: true), cancellationToken);
            orgIds[o.Code] = view?.Id ?? throw new InvalidOperationException($"Demo organisation {o.Code}: {string.Join("; ", problems)}");
        }

        var people = new Dictionary<string, (Subject Subject, SubjectInput Input)>(StringComparer.Ordinal);
        foreach (var p in data.People)
        {
            var (type, number) = p.IdType == "resident-id"
                ? (IdType.ResidentId, ResidentIdNumber.Compose(p.Division!, p.BirthDate!.Value, p.Sequence!.Value))
                : (IdTypes.TryParse(p.IdType, out var t) ? t : throw new InvalidOperationException($"Demo person {p.Key}: unknown idType"), p.Number!);
            people[p.Key] = (await subjects.FindOrAddAsync(type, number, p.Name, synthetic: true, cancellationToken), new SubjectInput(type.ToCode(), number, p.Name));
        }
        await db.SaveChangesAsync(cancellationToken);

        foreach (var role in data.Roles)
        {
            var subjectId = people[role.Person].Subject.Id;
            if (!await db.SubjectRoles.AnyAsync(r => r.SubjectId == subjectId && r.OrganisationCode == role.Organisation && r.Role == role.Role, cancellationToken))
            {
                db.SubjectRoles.Add(new SubjectRole { SubjectId = subjectId, OrganisationCode = role.Organisation, OrganisationName = role.OrganisationName, Role = role.Role });
            }
        }

        // Demo records go through the same checks and store as any provider's push.
        var added = 0;
        foreach (var byProvider in data.Records.GroupBy(r => r.Provider))
        {
            var batch = byProvider.Select((r, i) => new IncomingRecord(i, r.SourceId, r.CatalogItem, people[r.Person].Input, r.OccurredOn, r.Fields, [])).ToList();
            var response = await push.PushAsync(orgIds[byProvider.Key], batch, cancellationToken, synthetic: true);
            var refused = response.Results.Where(x => x.Status == PushResult.Rejected).ToList();
            if (refused.Count > 0)
            {
                throw new InvalidOperationException("Demo records refused: " + string.Join("; ", refused.Select(x => $"{x.SourceId}: {string.Join(", ", x.Errors!.Select(e => $"{e.Field} {e.Code}"))}")));
            }
            added += response.Results.Count(x => x.Status == PushResult.Created);
        }

        await history.CollectedOnTimeAsync(data.Records.Select(r => (orgIds[r.Provider], r.SourceId, r.OccurredOn)), cancellationToken);
        await history.LoadAsync([.. orgs.Organisations.Where(o => o.Kind == "department" && o.Provides.Contains("admin-penalty")).Select(o => (orgIds[o.Code], o.Name.Zh))],
            cancellationToken);

        var citizen = people[data.People[0].Key].Subject.Id;
        var provider = orgIds[orgs.Organisations.First(o => o.Provides.Count > 0 && o.Kind == "department").Code];
        var office = orgIds[orgs.Organisations.First(o => o.Kind == "credit-office").Code];
        await accounts.EnsureAsync(citizen, provider, office, cancellationToken);
        logger.LogInformation("Synthetic demo data loaded: {Organisations} organisations, {People} people, {Added} new records", orgs.Organisations.Count, data.People.Count, added);
    }

    private static T Read<T>(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded.");
        return JsonSerializer.Deserialize<T>(stream, CatalogJson.Options) ?? throw new InvalidOperationException($"{resource} is empty.");
    }

    private sealed record DemoOrganisations(IReadOnlyList<DemoOrganisation> Organisations);

    private sealed record DemoOrganisation(string Code, LocalizedText Name, string Kind, string Division, IReadOnlyList<string> Provides, bool Uses);

    private sealed record DemoData(bool Synthetic, IReadOnlyList<DemoPerson> People, IReadOnlyList<DemoRole> Roles, IReadOnlyList<DemoRecord> Records);

    private sealed record DemoPerson(string Key, string Name, string IdType, string? Division, DateOnly? BirthDate, int? Sequence, string? Number);

    private sealed record DemoRole(string Person, string Organisation, string OrganisationName, string Role);

    private sealed record DemoRecord(string Person, string CatalogItem, string Provider, string SourceId, DateOnly OccurredOn, JsonElement Fields);
}

public static class DemoSetup
{
    public static IServiceCollection AddDemo(this IServiceCollection services) => services.AddScoped<DemoLoader>().AddScoped<DemoHistory>().AddSingleton<Seeding.SyntheticSeed>();
}
