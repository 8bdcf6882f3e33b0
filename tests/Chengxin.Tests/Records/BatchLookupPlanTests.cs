using System.Text.Json;
using Chengxin.Data;
using Chengxin.Records;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Records;

/// <summary>
/// On PostgreSQL a push looks up a batch's people and sourceIds with one statement each. Prepared,
/// such a statement would soon run a generic plan, and one made while a table was analysed empty
/// scans the table once per key until autovacuum analyses it again: an import once slowed tenfold.
/// </summary>
public sealed class BatchLookupPlanTests(PostgresPlatform fixture) : IClassFixture<PostgresPlatform>
{
    private TestPlatform Platform => fixture.Platform;

    public sealed record PreparedPlans(string Statement, long Generic, long Custom);

    [Fact]
    public async Task BatchLookupsArePlannedForTheTableAsItIsAtEveryPush()
    {
        var provider = await Platform.AddOrganisationAsync("市场监管", "admin-penalty");

        var (plans, mode) = await Platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            // One physical connection throughout, so its prepared statements can be read back.
            await db.Database.OpenConnectionAsync();
            // The tables analysed while empty, as on a new platform: a generic plan made now would scan them.
            Assert.False(await db.Records.AnyAsync());
            await db.Database.ExecuteSqlRawAsync("ANALYZE \"Subjects\", \"Records\"");
            var push = services.GetRequiredService<PushService>();
            for (var i = 0; i < 15; i++)
            {
                var batch = PushService.ReadBatch(JsonSerializer.SerializeToElement(new
                {
                    records = new[] { Penalty($"plan-{i}-a"), Penalty($"plan-{i}-b") },
                })).Batch!;
                var answer = await push.PushAsync(provider.Id, batch, CancellationToken.None);
                Assert.Equal(2, answer.Accepted);
            }
            var plans = await db.Database.SqlQuery<PreparedPlans>($"""
                SELECT statement AS "Statement", generic_plans AS "Generic", custom_plans AS "Custom"
                FROM pg_prepared_statements WHERE statement LIKE '%unnest%'
                """).ToListAsync();
            var mode = await db.Database.SqlQuery<string>($"SELECT current_setting('plan_cache_mode') AS \"Value\"").SingleAsync();
            return (plans, mode);
        });

        // Both lookups (people by blind index, records by sourceId) were prepared, and never ran a cached generic plan.
        Assert.Equal(2, plans.Count);
        Assert.All(plans, p => Assert.Equal((0, true), (p.Generic, p.Custom > 5)));
        // The custom plans were asked for the lookups only: the pooled connection goes back as it came.
        Assert.Equal("auto", mode);
    }

    private static object Penalty(string sourceId) => new
    {
        sourceId,
        catalogItem = "admin-penalty",
        subject = new { idType = "resident-id", idNumber = TestCodes.NewResidentId(), name = "张三" },
        occurredOn = "2025-06-03",
        fields = new
        {
            decisionNo = "湘市监罚〔2025〕0001号",
            authority = "湖南省市场监督管理局",
            domain = "food-drug",
            violation = "销售过期食品",
            legalProvision = "《中华人民共和国食品安全法》第一百二十四条",
            penaltyType = "fine",
            fineAmount = 5000.0,
            severity = "general",
        },
    };
}
