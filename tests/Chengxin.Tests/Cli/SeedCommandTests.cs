using Chengxin.Catalog;
using Chengxin.Records;
using Chengxin.Seeding;
using Chengxin.Subjects;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Cli;

/// <summary>`chengxin seed`: synthetic load-test data that passes the platform's own checks, and never where real people are.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SeedCommandTests
{
    [Fact]
    public async Task SeedWritesValidSyntheticPeopleAndRecordsThatThePlatformFindsAndReads()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite");

        var run = await CommandTests.RunAsync(CommandTests.Against(platform, "seed", "--subjects", "40", "--records", "300"));

        Assert.Equal(0, run.Exit);
        Assert.Contains("Seeded 40 people and 300 records", run.Out, StringComparison.Ordinal);
        var (people, records) = await SecurityFixtures.DbAsync(platform, async db => (await db.Subjects.CountAsync(s => s.Synthetic), await db.Records.CountAsync(r => r.Synthetic)));
        Assert.Equal((40, 300), (people, records));
        await platform.WithScopeAsync(async services =>
        {
            // Each person is found by their number, and every record passes the checks a push would.
            var registry = services.GetRequiredService<SubjectRegistry>();
            var person = await registry.FindAsync(Chengxin.Identity.IdType.ResidentId, SyntheticSeed.Number(17), CancellationToken.None);
            Assert.NotNull(person);
            Assert.Equal(SyntheticSeed.Name(17), registry.Name(person));
            var items = await services.GetRequiredService<CatalogStore>().ByCodeAsync();
            var db = services.GetRequiredService<Chengxin.Data.ChengxinDb>();
            var rows = await (from r in db.Records join v in db.RecordVersions on r.Id equals v.RecordId select new { r.ItemCode, r.OccurredOn, v.Fields }).ToListAsync();
            var today = Calendar.ChinaTime.Today(TimeProvider.System);
            Assert.All(rows, row => Assert.Empty(RecordChecks.Check(items[row.ItemCode].Item, row.OccurredOn, System.Text.Json.JsonDocument.Parse(row.Fields).RootElement, new SubjectFacts(null), today)));
            Assert.True(rows.Select(r => r.ItemCode).Distinct().Count() > 10);
            return 0;
        });
    }

    [Fact]
    public async Task SeedIsRefusedWhereRealPeopleAreStored()
    {
        await using var platform = await TestPlatform.StartAsync("sqlite");
        await SecurityFixtures.PushAsync(platform, 1);

        var run = await CommandTests.RunAsync(CommandTests.Against(platform, "seed", "--subjects", "5", "--records", "5"));

        Assert.NotEqual(0, run.Exit);
        Assert.Equal(0, await SecurityFixtures.DbAsync(platform, db => db.Subjects.CountAsync(s => s.Synthetic)));
    }
}
