using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Archive;
using Chengxin.Catalog;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Catalog;

/// <summary>
/// A record is judged by the catalog version in force when it was collected (DESIGN.md): a version published later that
/// lengthens display does not bring back what had stopped; one that narrows who may see an item protects at once.
/// </summary>
public abstract class CatalogVersionJudgementTests(string provider)
{
    private static readonly DateOnly Today = Calendar.ChinaTime.Today(TimeProvider.System);

    [Fact]
    public async Task ARecordIsShownByTheVersionItWasCollectedUnderAndHiddenByANarrowerDisclosureAtOnce()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var penaltyOffice = await platform.AddOrganisationAsync("市场监管", "admin-penalty");
        var client = await platform.SystemClientAsync(await platform.AddClientAsync(penaltyOffice.Code, ApiScopes.RecordsPush), ApiScopes.RecordsPush);
        var number = TestCodes.NewResidentId();
        async Task PushAsync(string sourceId, DateOnly occurredOn)
        {
            var record = JsonSerializer.SerializeToNode(SecurityFixtures.Penalty(sourceId, number))!;
            record["occurredOn"] = occurredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            (await client.PostAsJsonAsync("/api/v1/records", new { records = new[] { record } })).EnsureSuccessStatusCode();
        }
        // A general penalty is shown for a year under the shipped catalog: one decided 13 months ago has stopped, one of 7 months has not.
        await PushAsync("old-13", Today.AddMonths(-13));
        await PushAsync("old-7", Today.AddMonths(-7));

        // The province publishes a version, in force from yesterday, that shows general penalties for two years and only to the government.
        await platform.WithScopeAsync(async s =>
        {
            var province = CatalogLoader.Provincial();
            var db = s.GetRequiredService<ChengxinDb>();
            db.CatalogVersions.Add(new CatalogVersion
            {
                Scope = province.Scope,
                Version = province.Version + "-longer",
                EffectiveFrom = Today.AddDays(-1),
                ContentSha256 = new string('0', 64),
                Items = [.. province.Items.Select(i => i.Code != "admin-penalty" ? i : i with
                {
                    Display = i.Display with { MonthsByGrade = new Dictionary<string, int>(i.Display.MonthsByGrade!) { ["general"] = 24 } },
                    Disclosure = Disclosure.Government,
                }).Select(i => new CatalogEntry { Code = i.Code, Category = i.Category, Polarity = i.Polarity, Disclosure = i.Disclosure, Definition = JsonSerializer.Serialize(i, CatalogJson.Options) })],
            });
            await db.SaveChangesAsync();
            s.GetRequiredService<CatalogStore>().Invalidate();
        });
        await PushAsync("new-13", Today.AddMonths(-13));

        var archive = await platform.WithScopeAsync(async s =>
        {
            var subject = await s.GetRequiredService<Subjects.SubjectRegistry>().FindAsync(Identity.IdType.ResidentId, number, CancellationToken.None);
            var records = await s.GetRequiredService<ArchiveService>().AllAsync(subject!.Id, CancellationToken.None);
            var sources = await s.GetRequiredService<ChengxinDb>().Records.Where(r => r.SubjectId == subject.Id).ToDictionaryAsync(r => r.Id, r => r.SourceId);
            return records.ToDictionary(r => sources[r.RecordId]);
        });

        // Collected under the shipped version: its year is what counts, so the one of 13 months stays stopped.
        Assert.False(archive["old-13"].Display.Shown);
        Assert.Equal(RecordState.Expired, archive["old-13"].Display.State);
        Assert.True(archive["old-7"].Display.Shown);
        // Collected under the new version: shown for its two years.
        Assert.True(archive["new-13"].Display.Shown);
        // The narrower disclosure applies to every record of the item, whenever collected: no authorised querier sees them now.
        Assert.All(archive.Values, r => Assert.Equal(Disclosure.Government, r.Disclosure));
        Assert.Empty(ArchiveService.Shown(archive.Values, null, Disclosure.Authorised));
    }
}

public sealed class CatalogVersionJudgementOnSqlite() : CatalogVersionJudgementTests("sqlite");

public sealed class CatalogVersionJudgementOnPostgres() : CatalogVersionJudgementTests("postgres");
