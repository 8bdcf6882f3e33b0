using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>
/// The audit log as an attacker with database access meets it: every change and read is chained,
/// the application cannot edit it, and every kind of tampering is found by `audit verify`.
/// Each test has its own platform, since it damages the log on purpose.
/// </summary>
public abstract class AuditTests(string provider)
{
    private static Task<ChainReport> VerifyAsync(TestPlatform platform) =>
        platform.WithScopeAsync(s => s.GetRequiredService<AuditVerification>().VerifyAsync([], CancellationToken.None));

    private static Task<AuditCheckpoint?> CheckpointAsync(TestPlatform platform) =>
        platform.WithScopeAsync(s => s.GetRequiredService<AuditCheckpoints>().SignHeadAsync(CancellationToken.None));

    /// <summary>A platform whose log holds pushes, a revocation and reads, signed at its head.</summary>
    private async Task<(TestPlatform Platform, long Head)> PlatformWithHistoryAsync()
    {
        var platform = await TestPlatform.StartAsync(provider);
        var (client, numbers, _) = await SecurityFixtures.PushAsync(platform, 3, 2, 4, 1);
        (await client.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[0])}")).EnsureSuccessStatusCode();
        (await client.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[1])}")).EnsureSuccessStatusCode();
        var checkpoint = await CheckpointAsync(platform);
        return (platform, checkpoint!.Sequence);
    }

    [Fact]
    public async Task PushesAndReadsAreChainedAndVerify()
    {
        var (platform, head) = await PlatformWithHistoryAsync();
        await using var _ = platform;

        var entries = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(head, entries.Count);
        Assert.Equal(4, entries.Count(e => e.Action == "records.push"));
        Assert.Equal(2, entries.Count(e => e.Action == QueryLog.Action));
        Assert.All(entries.Where(e => e.Action == "records.push"), e => Assert.StartsWith("client:", e.Actor, StringComparison.Ordinal));
        var report = await VerifyAsync(platform);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(head, report.EntriesChecked);
    }

    [Fact]
    public async Task TheApplicationCannotUpdateOrDeleteAuditRows()
    {
        var (platform, _) = await PlatformWithHistoryAsync();
        await using var _1 = platform;

        await Assert.ThrowsAnyAsync<Exception>(() => SecurityFixtures.DbAsync(platform, db =>
            db.AuditEntries.Where(e => e.Sequence == 1).ExecuteUpdateAsync(s => s.SetProperty(e => e.Detail, "{}"))));
        await Assert.ThrowsAnyAsync<Exception>(() => SecurityFixtures.DbAsync(platform, db =>
            db.AuditEntries.Where(e => e.Sequence == 1).ExecuteDeleteAsync()));
        await Assert.ThrowsAnyAsync<Exception>(() => SecurityFixtures.DbAsync(platform, db =>
            db.QueryRegistrations.ExecuteDeleteAsync()));
        await Assert.ThrowsAnyAsync<Exception>(() => SecurityFixtures.DbAsync(platform, db =>
            db.AuditCheckpoints.ExecuteUpdateAsync(s => s.SetProperty(c => c.Signature, "x"))));
        Assert.True((await VerifyAsync(platform)).Intact);
    }

    [Fact]
    public async Task AFlippedByteIsFoundAndNamed()
    {
        var (platform, _) = await PlatformWithHistoryAsync();
        await using var _1 = platform;

        var second = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.Where(e => e.Detail.Contains("\"created\":2")).Select(e => e.Sequence).SingleAsync());
        await SecurityFixtures.TamperAsync(platform, "UPDATE \"AuditEntries\" SET \"Detail\" = replace(\"Detail\", '\"created\":2', '\"created\":3') WHERE \"Sequence\" = {0}", second);

        var report = await VerifyAsync(platform);
        Assert.Equal(second, report.FirstBadSequence);
    }

    [Fact]
    public async Task ADeletedEntryIsFoundAndNamed()
    {
        var (platform, _) = await PlatformWithHistoryAsync();
        await using var _1 = platform;

        await SecurityFixtures.TamperAsync(platform, "DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 3");

        var report = await VerifyAsync(platform);
        Assert.Equal(3, report.FirstBadSequence);
        Assert.Contains("missing", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSwappedEntriesAreFound()
    {
        var (platform, _) = await PlatformWithHistoryAsync();
        await using var _1 = platform;
        var (second, fourth) = await SecurityFixtures.DbAsync(platform, async db =>
            (await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 2), await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 4)));

        await SecurityFixtures.TamperAsync(platform, "UPDATE \"AuditEntries\" SET \"Detail\" = {0}, \"Hash\" = {1} WHERE \"Sequence\" = 2", fourth.Detail, fourth.Hash);
        await SecurityFixtures.TamperAsync(platform, "UPDATE \"AuditEntries\" SET \"Detail\" = {0}, \"Hash\" = {1} WHERE \"Sequence\" = 4", second.Detail, second.Hash);

        Assert.Equal(2, (await VerifyAsync(platform)).FirstBadSequence);
    }

    [Fact]
    public async Task ATruncatedTailIsCaughtByTheSignedCheckpoint()
    {
        var (platform, head) = await PlatformWithHistoryAsync();
        await using var _1 = platform;

        await SecurityFixtures.TamperAsync(platform, "DELETE FROM \"AuditEntries\" WHERE \"Sequence\" > {0}", head - 2);

        var report = await VerifyAsync(platform);
        Assert.False(report.Intact);
        Assert.Equal(head - 1, report.FirstBadSequence);
        Assert.Contains("removed", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainRecomputedFromAnEntryOnIsCaughtByTheSignedCheckpoint()
    {
        var (platform, _) = await PlatformWithHistoryAsync();
        await using var _1 = platform;
        var entries = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());

        // The attacker rewrites the third push's entry and recomputes every hash after it, so the stored hashes agree again.
        var k = entries.FindIndex(e => e.Detail.Contains("\"created\":4", StringComparison.Ordinal));
        var previous = entries[k - 1].Hash;
        foreach (var entry in entries.Skip(k))
        {
            var detail = entry.Sequence == entries[k].Sequence ? entry.Detail.Replace("\"created\":4", "\"created\":0", StringComparison.Ordinal) : entry.Detail;
            var hash = AuditChain.Hash(previous, new AuditFacts(entry.Sequence, entry.At, entry.Actor, entry.Action, entry.SubjectId, entry.Target, detail));
            await SecurityFixtures.TamperAsync(platform, "UPDATE \"AuditEntries\" SET \"Detail\" = {0}, \"Hash\" = {1} WHERE \"Sequence\" = {2}", detail, hash, entry.Sequence);
            previous = hash;
        }

        var report = await VerifyAsync(platform);
        Assert.False(report.Intact);
        Assert.Contains("signed checkpoint", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeletedQueryRegistrationIsFound()
    {
        var (platform, _) = await PlatformWithHistoryAsync();
        await using var _1 = platform;
        var read = await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.AsNoTracking().OrderBy(q => q.AuditSequence).FirstAsync());

        await SecurityFixtures.TamperAsync(platform, "DELETE FROM \"QueryRegistrations\" WHERE \"AuditSequence\" = {0}", read.AuditSequence);

        var report = await VerifyAsync(platform);
        Assert.Equal(read.AuditSequence, report.FirstBadSequence);
        Assert.Contains("query registrations", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointsExportedElsewhereCatchARewrittenCheckpointTable()
    {
        var (platform, head) = await PlatformWithHistoryAsync();
        await using var _1 = platform;
        var kept = await SecurityFixtures.DbAsync(platform, async db => (await db.AuditCheckpoints.AsNoTracking().ToListAsync())
            .Select(c => new Chengxin.Audit.Checkpoint(c.Sequence, c.Head, c.At, Chengxin.Crypto.SignatureValue.TryParse(c.Signature, out var s) ? s : null!)).ToList());

        // Removing the last entry and the checkpoint that signed it leaves a consistent database on its own...
        await SecurityFixtures.TamperAsync(platform, "DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = {0}", head);
        await SecurityFixtures.TamperAsync(platform, "DELETE FROM \"AuditCheckpoints\"");
        Assert.True((await VerifyAsync(platform)).Intact);

        // ...but not against the checkpoints another party kept.
        var report = await platform.WithScopeAsync(s => s.GetRequiredService<AuditVerification>().VerifyAsync(kept, CancellationToken.None));
        Assert.False(report.Intact);
        Assert.Contains("removed", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationsArePurgedAfterTenYearsAndNotBefore()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 1);
        var subjectId = await SecurityFixtures.DbAsync(platform, db => db.Subjects.Select(s => s.Id).FirstAsync());
        QueryRegistration Old(int years) => new()
        {
            At = DateTimeOffset.UtcNow.AddYears(-years),
            SubjectId = subjectId,
            Actor = "client:old",
            Channel = "api",
            Purpose = "p",
            Basis = "legal:x",
            Items = "admin-penalty",
        };
        var (eleven, nine) = (Old(11), Old(9));
        await SecurityFixtures.DbAsync(platform, async db =>
        {
            db.QueryRegistrations.AddRange(eleven, nine);
            return await db.SaveChangesAsync();
        });

        var purged = await platform.WithScopeAsync(s => s.GetRequiredService<Retention>().PurgeAsync("system:test", CancellationToken.None));

        Assert.Equal(1, purged);
        var left = await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.Select(q => q.Id).ToListAsync());
        Assert.DoesNotContain(eleven.Id, left);
        Assert.Contains(nine.Id, left);
        Assert.Contains("retention.purge", await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.Select(e => e.Action).ToListAsync()));
        await Assert.ThrowsAnyAsync<Exception>(() => SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.Where(q => q.Id == nine.Id).ExecuteDeleteAsync()));
        _ = numbers;
    }

    [Fact]
    public async Task ReadsRegisteredAroundOtherWritersEntriesStayOneChain()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (client, numbers, _) = await SecurityFixtures.PushAsync(platform, 2);
        async Task ReadAsync(string number) => (await client.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(number)}")).EnsureSuccessStatusCode();

        // The group commit remembers the head it wrote; another writer then appends, so the next read's batch finds its sequence taken.
        await ReadAsync(numbers[0]);
        await platform.WithScopeAsync(s => s.GetRequiredService<AuditTrail>().AppendAsync(new AuditEvent("test", "test.between", null, "test", "{}"), CancellationToken.None));
        await ReadAsync(numbers[1]);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ReadAsync(numbers[i % 2])));

        var entries = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Action }).ToListAsync());
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(10, entries.Count(e => e.Action == QueryLog.Action));
        Assert.Equal(10, await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.CountAsync()));
        var report = await VerifyAsync(platform);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(entries.Count, report.EntriesChecked);
    }

    [Fact]
    public async Task ThePlatformSignsCheckpointsByItselfOnceEntriesHaveWaited()
    {
        await using var platform = await TestPlatform.StartAsync(provider, settings: new Dictionary<string, string?> { ["Audit:CheckpointSeconds"] = "1" });
        await SecurityFixtures.PushAsync(platform, 2, 2);
        var head = await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.MaxAsync(e => e.Sequence));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        long signed = 0;
        while (signed < head && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            signed = await SecurityFixtures.DbAsync(platform, db => db.AuditCheckpoints.MaxAsync(c => (long?)c.Sequence)) ?? 0;
        }

        Assert.Equal(head, signed);
        Assert.True((await VerifyAsync(platform)).Intact);
    }
}

public sealed class AuditOnSqlite() : AuditTests("sqlite");

public sealed class AuditOnPostgres() : AuditTests("postgres");
