using System.Text;
using Chengxin.Data;
using Chengxin.Demo;
using Chengxin.Identity;
using Chengxin.Subjects;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Data;

public abstract partial class DatabaseTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    [Fact]
    public async Task EveryMigrationIsAppliedAndTheModelHasNoChangeWithoutOne()
    {
        var (pending, applied, modelChanged) = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            return ((await db.Database.GetPendingMigrationsAsync()).ToList(), (await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.HasPendingModelChanges());
        });
        Assert.Empty(pending);
        Assert.NotEmpty(applied);
        Assert.False(modelChanged, "The model changed without a migration: run dotnet ef migrations add for both providers.");
    }

    [Fact]
    public async Task NumbersAndNamesAreStoredOnlyEncrypted()
    {
        var number = TestCodes.NewResidentId();
        var subjectId = await Platform.WithScopeAsync(async s =>
        {
            var subject = await s.GetRequiredService<SubjectRegistry>().FindOrAddAsync(IdType.ResidentId, number, "欧阳明", synthetic: true, CancellationToken.None);
            await s.GetRequiredService<ChengxinDb>().SaveChangesAsync();
            return subject.Id;
        });

        var (row, name, decrypted) = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            var subject = await db.Subjects.AsNoTracking().SingleAsync(x => x.Id == subjectId);
            var registry = s.GetRequiredService<SubjectRegistry>();
            return (subject, registry.Name(subject), registry.Number(subject));
        });

        Assert.Equal(number, decrypted);
        Assert.Equal("欧阳明", name);
        Assert.DoesNotContain(number, Encoding.UTF8.GetString(row.IdNumberCipher), StringComparison.Ordinal);
        Assert.DoesNotContain("欧阳明", Encoding.UTF8.GetString(row.NameCipher), StringComparison.Ordinal);
        Assert.DoesNotContain(number, row.BlindIndex, StringComparison.Ordinal);
        Assert.Equal(number[^4..], row.IdNumberTail);
    }

    [Fact]
    public async Task TheSameNumberFindsTheSameSubject()
    {
        var number = TestCodes.NewResidentId();
        var (first, second, found) = await Platform.WithScopeAsync(async s =>
        {
            var registry = s.GetRequiredService<SubjectRegistry>();
            var a = await registry.FindOrAddAsync(IdType.ResidentId, number, "李四", synthetic: true, CancellationToken.None);
            await s.GetRequiredService<ChengxinDb>().SaveChangesAsync();
            var b = await registry.FindOrAddAsync(IdType.ResidentId, number, "李四", synthetic: true, CancellationToken.None);
            var c = await registry.FindAsync(IdType.ResidentId, number, CancellationToken.None);
            return (a.Id, b.Id, c?.Id);
        });
        Assert.Equal(first, second);
        Assert.Equal(first, found);
    }

    [Fact]
    public async Task ACiphertextCopiedToAnotherSubjectDoesNotDecrypt()
    {
        var (victim, other) = await Platform.WithScopeAsync(async s =>
        {
            var registry = s.GetRequiredService<SubjectRegistry>();
            var a = await registry.FindOrAddAsync(IdType.ResidentId, TestCodes.NewResidentId(), "王五", true, CancellationToken.None);
            var b = await registry.FindOrAddAsync(IdType.ResidentId, TestCodes.NewResidentId(), "赵六", true, CancellationToken.None);
            await s.GetRequiredService<ChengxinDb>().SaveChangesAsync();
            return (a, b);
        });
        other.NameCipher = victim.NameCipher;
        await Platform.WithScopeAsync(s =>
        {
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => s.GetRequiredService<SubjectRegistry>().Name(other));
            return Task.FromResult(0);
        });
    }
}

public abstract partial class DatabaseTests<TPlatform>
{
    [Fact]
    public async Task ALeaseIsHeldByOneNodeUntilItExpires()
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        async Task<bool> TakeAsync(string holder, DateTimeOffset at) => await Platform.WithScopeAsync(s =>
            Chengxin.Data.Leases.TryTakeAsync(s.GetRequiredService<ChengxinDb>(), name, holder, at, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.True(await TakeAsync("node-a", now));
        Assert.False(await TakeAsync("node-b", now.AddSeconds(10)));
        Assert.True(await TakeAsync("node-a", now.AddSeconds(20)));
        Assert.False(await TakeAsync("node-b", now.AddSeconds(40)));
        Assert.True(await TakeAsync("node-b", now.AddSeconds(51)));
        Assert.False(await TakeAsync("node-a", now.AddSeconds(52)));
    }
}

public sealed class DatabaseOnSqlite(SqlitePlatform fixture) : DatabaseTests<SqlitePlatform>(fixture);

public sealed class DatabaseOnPostgres(PostgresPlatform fixture) : DatabaseTests<PostgresPlatform>(fixture);

public abstract class DemoDataTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private Task<(int Organisations, int Subjects, int Records, int Versions, int Users)> CountAsync() =>
        Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            return (await db.Organisations.CountAsync(), await db.Subjects.CountAsync(), await db.Records.CountAsync(), await db.RecordVersions.CountAsync(), await db.Users.CountAsync());
        });

    [Fact]
    public async Task LoadingTheDemoDataTwiceChangesNothing()
    {
        var before = await CountAsync();
        await Platform.WithScopeAsync(async s =>
        {
            await s.GetRequiredService<DemoLoader>().LoadAsync(CancellationToken.None);
            return 0;
        });
        Assert.Equal(before, await CountAsync());
        Assert.True(before.Records >= 40);
        Assert.Equal(Chengxin.Accounts.DemoAccounts.All.Count, before.Users);
    }

    [Fact]
    public async Task TheDemoGivesTheDashboardTwelveWeeksOfBatchesRejectionsAndTimelinessOnBothSidesOfTheRule()
    {
        var dashboard = await Platform.WithScopeAsync(s => s.GetRequiredService<Chengxin.Dashboards.DashboardService>().BuildAsync(null, CancellationToken.None));

        var penalties = dashboard.Providers.Where(p => p.Batches > 0).ToList();
        Assert.NotEmpty(penalties);
        Assert.All(penalties, p => Assert.InRange(p.ShareWithinRule!.Value, 0.5, 0.99));
        Assert.Contains(dashboard.RejectionsByCode, b => b.Label == "checksum" && b.Value > 0);
        Assert.True(dashboard.Timeliness.Count(b => b.Value > 0) >= 3, "decisions collected within 5 working days and later");
        Assert.True(dashboard.RecordsPerWeek.Count(b => b.Value > 0) >= 10, "records collected over the weeks");
    }

    [Fact]
    public async Task TheDemoDataHasRecordsOfEveryCatalogCategoryAndIsAllSynthetic()
    {
        var (categories, allSynthetic, itemsWithoutRecords) = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            var codes = await db.Records.Select(r => r.ItemCode).Distinct().ToListAsync();
            var catalog = await s.GetRequiredService<Chengxin.Catalog.CatalogStore>().InForceAsync();
            var categoriesWithRecords = catalog.Where(i => codes.Contains(i.Item.Code)).Select(i => i.Item.Category).Distinct().Count();
            var synthetic = await db.Records.AllAsync(r => r.Synthetic) && await db.Subjects.AllAsync(x => x.Synthetic) && await db.Users.AllAsync(u => u.Synthetic);
            var missing = catalog.Where(i => i.Scope == "430000" && !codes.Contains(i.Item.Code)).Select(i => i.Item.Code).ToList();
            return (categoriesWithRecords, synthetic, missing);
        });
        Assert.Equal(11, categories);
        Assert.True(allSynthetic);
        Assert.Empty(itemsWithoutRecords);
    }
}

public sealed class DemoDataOnSqlite(SqliteDemoPlatform fixture) : DemoDataTests<SqliteDemoPlatform>(fixture);

public sealed class DemoDataOnPostgres(PostgresDemoPlatform fixture) : DemoDataTests<PostgresDemoPlatform>(fixture);
