using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Organisations;

/// <summary>The kinds of organisation the platform knows.</summary>
public static class OrganisationKinds
{
    public static readonly IReadOnlyList<string> All =
    [
        "department", "court", "school", "association", "financial-credit-database", "credit-agency",
        "credit-office", "city-platform", "bank", "employer",
    ];
}

/// <summary>An organisation as the API and the verbs print it.</summary>
public sealed record OrganisationView(Guid Id, string Code, string Name, string NameEn, string Kind, string Division, bool Uses, IReadOnlyList<string> Provides)
{
    public static OrganisationView From(Organisation o) =>
        new(o.Id, o.Code, o.NameZh, o.NameEn, o.Kind, o.Division, o.Uses, o.Provides.Select(p => p.ItemCode).Order(StringComparer.Ordinal).ToList());
}

public sealed record OrganisationRegistration(string Code, string Name, string? NameEn, string? Kind, IReadOnlyList<string> Provides, bool Uses, bool Synthetic = false);

/// <summary>Registers organisations and the catalog items they provide.</summary>
public sealed class OrganisationService(ChengxinDb db, CatalogStore catalog, Audit.AuditTrail audit, Audit.CurrentActor actor, OrganisationDirectory directory)
{
    /// <summary>Registers an organisation, or adds items to one already registered; returns the problems when refused.</summary>
    public async Task<(OrganisationView? Organisation, IReadOnlyList<string> Problems)> RegisterAsync(OrganisationRegistration request, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var code = CreditCode.Check(request.Code);
        if (!code.IsValid)
        {
            problems.Add($"--code: {code.Error!.Message}");
        }
        if (request.Kind is not null && !OrganisationKinds.All.Contains(request.Kind))
        {
            problems.Add($"--kind: '{request.Kind}' is not one of {string.Join(", ", OrganisationKinds.All)}.");
        }
        var inForce = (await catalog.InForceAsync(cancellationToken)).Select(i => i.Item.Code).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(request.Provides.Where(p => !inForce.Contains(p)).Select(p => $"--provides: '{p}' is not a catalog item in force."));
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var normalised = code.Normalised!;
        var organisation = await db.Organisations.Include(o => o.Provides).SingleOrDefaultAsync(o => o.Code == normalised, cancellationToken);
        if (organisation is null)
        {
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return (null, ["--name: a new organisation needs a name."]);
            }
            organisation = new Organisation
            {
                Code = normalised,
                NameZh = request.Name.Trim(),
                NameEn = request.NameEn?.Trim() ?? request.Name.Trim(),
                Kind = request.Kind ?? "department",
                Division = normalised.Substring(2, 6),
                Synthetic = request.Synthetic,
            };
            db.Organisations.Add(organisation);
        }
        organisation.Uses |= request.Uses;
        var added = request.Provides.Distinct(StringComparer.Ordinal).Where(p => organisation.Provides.All(x => x.ItemCode != p)).ToList();
        foreach (var item in added)
        {
            organisation.Provides.Add(new OrganisationItem { ItemCode = item });
        }
        if (!db.ChangeTracker.HasChanges())
        {
            return (OrganisationView.From(organisation), []);
        }
        await audit.RecordAsync(() => db.SaveChangesAsync(cancellationToken), _ => new Audit.AuditEvent(actor.Name, "organisation.register", null, normalised,
            System.Text.Json.JsonSerializer.Serialize(new { kind = organisation.Kind, uses = organisation.Uses, provides = added })), cancellationToken);
        directory.Invalidate();
        return (OrganisationView.From(organisation), []);
    }

    /// <summary>The registered organisation with this unified social credit code, or why there is none, as one line for <c>--org</c>.</summary>
    public async Task<(Organisation? Organisation, string? Problem)> FindByCodeAsync(string? code, CancellationToken cancellationToken)
    {
        var check = CreditCode.Check(code);
        if (!check.IsValid)
        {
            return (null, $"--org: {check.Error!.Message}");
        }
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == check.Normalised, cancellationToken);
        return organisation is null ? (null, $"--org: no organisation {check.Normalised} is registered (chengxin orgs add).") : (organisation, null);
    }

    public async Task<IReadOnlyList<OrganisationView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Organisations.AsNoTracking().Include(o => o.Provides).OrderBy(o => o.Code).ToListAsync(cancellationToken))
            .Select(OrganisationView.From).ToList();
}

public static class OrganisationSetup
{
    public static IServiceCollection AddOrganisations(this IServiceCollection services) => services.AddScoped<OrganisationService>().AddSingleton<OrganisationDirectory>();
}
