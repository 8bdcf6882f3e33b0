using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Keys;
using Chengxin.Reports;
using Chengxin.Subjects;
using Chengxin.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Security;

/// <summary>
/// Rotating to new keys, and to the SM4/SM3 algorithms, while the data stays readable: a rotation
/// stopped half-way leaves every row decryptable and findable, and a second run finishes the job.
/// </summary>
public abstract class KeyRotationTests(string provider)
{
    private static readonly string Sm4Key = "sm4-gcm:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
    private static readonly string Sm3Index = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The new keys beside the old ones: new rows and rewritten rows use the new, old rows still decrypt and are still found.</summary>
    private static Dictionary<string, string?> Rotated(TestPlatform platform) => new()
    {
        ["Keys:Current"] = "s2",
        ["Keys:Encryption:s2"] = Sm4Key,
        ["Keys:OldIndex:i1"] = platform.App.Configuration["Keys:Index"],
        ["Keys:IndexId"] = "i2",
        ["Keys:Index"] = Sm3Index,
        ["Keys:IndexAlgorithm"] = "hmac-sm3",
    };

    private static async Task<List<(string Number, string Name)>> ReadAllAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SubjectRegistry>();
        var subjects = await scope.ServiceProvider.GetRequiredService<ChengxinDb>().Subjects.AsNoTracking().ToListAsync();
        return [.. subjects.Select(s => (registry.Number(s), registry.Name(s)))];
    }

    private static async Task<bool> FindsAsync(WebApplication app, string number)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubjectRegistry>().FindAsync(IdType.ResidentId, number, CancellationToken.None) is not null;
    }

    [Fact]
    public async Task ARotationStoppedHalfWayResumesAndEveryRowStillDecrypts()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 25);
        await using var rotated = platform.Sibling(Rotated(platform));

        // Killed after the first batch of 10.
        using var stop = new CancellationTokenSource();
        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            var rotation = scope.ServiceProvider.GetRequiredService<KeyRotation>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                rotation.RunAsync(Actors.CommandLine, 10, new SynchronousProgress(_ => stop.Cancel()), stop.Token));
            Assert.Equal(15, await rotation.RemainingAsync(CancellationToken.None));
        }

        // Half-way: every row decrypts and every person is found, old rows and new alike.
        Assert.Equal(25, (await ReadAllAsync(rotated)).Count(r => numbers.Contains(r.Number) && r.Name == "张三"));
        foreach (var number in numbers)
        {
            Assert.True(await FindsAsync(rotated, number), number);
        }

        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            var done = await scope.ServiceProvider.GetRequiredService<KeyRotation>().RunAsync(Actors.CommandLine, 10, null, CancellationToken.None);
            Assert.Equal(15, done.Rewritten);
        }

        // Done: the old keys can go; with only the new ones, everything reads and is found.
        var onlyNew = Rotated(platform);
        onlyNew.Remove("Keys:OldIndex:i1");
        onlyNew["Keys:Encryption:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var newOnly = platform.Sibling(onlyNew);
        Assert.Equal(25, (await ReadAllAsync(newOnly)).Count(r => numbers.Contains(r.Number)));
        foreach (var number in numbers)
        {
            Assert.True(await FindsAsync(newOnly, number), number);
        }
        var stored = await SecurityFixtures.DbAsync(platform, db => db.Subjects.AsNoTracking().ToListAsync());
        Assert.All(stored, s => Assert.Equal("s2", s.KeyId));
        Assert.All(stored, s => Assert.StartsWith("sm3:i2:", s.BlindIndex, StringComparison.Ordinal));
        Assert.All(stored, s => Assert.Equal(2, s.IdNumberCipher[1]));
    }

    [Fact]
    public async Task AfterARotationTheOldKeysCanGoWithoutLosingAReportOrAnAuthorisation()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (department, numbers, _) = await SecurityFixtures.PushAsync(platform, 1);
        var bank = await platform.AddOrganisationAsync("长沙银行", "bank", uses: false);
        static SubjectInput Person(string number) => new("resident-id", number, "张三");
        static Task<(CreditReportContent? Report, ReportRefusal? Refusal)> QueryAsync(WebApplication app, Guid bank, SubjectInput subject, Guid authorisation) =>
            WithAsync(app, s => s.GetRequiredService<ReportService>().AuthorisedAsync(bank, "test", new ReportRequest(subject, "贷款审批", authorisation, null), CancellationToken.None));
        async Task<Guid> GrantAsync(string number)
        {
            var (granted, errors) = await WithAsync(platform.App, s => s.GetRequiredService<AuthorisationService>().RegisterWrittenAsync(bank.Id, "test",
                new AuthorizationRequest(Person(number), "贷款审批", ["administrative"], DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
                    new EvidenceFile("授权书.pdf", Convert.ToBase64String(TestEvidence.SignedAuthorisationPdf()))), CancellationToken.None));
            Assert.True(granted is not null, string.Join("; ", errors.SelectMany(e => e.Value)));
            return granted.Value;
        }
        var granted = await GrantAsync(numbers[0]);
        var before = (await QueryAsync(platform.App, bank.Id, Person(numbers[0]), granted)).Report!;
        // Written authorisations for two people not on the platform yet; one of them comes later, with a record.
        var (later, never) = (TestCodes.NewResidentId(), TestCodes.NewResidentId());
        var grantedLater = await GrantAsync(later);
        await GrantAsync(never);
        (await department.PostAsJsonAsync("/api/v1/records", new { records = new[] { SecurityFixtures.Penalty(SecurityFixtures.SourceId(later), later) } })).EnsureSuccessStatusCode();

        await using (var rotated = platform.Sibling(Rotated(platform)))
        {
            var done = await WithAsync(rotated, s => s.GetRequiredService<KeyRotation>().RunAsync(Actors.CommandLine, 10, null, CancellationToken.None));
            // The one whose person never came can only be matched under the old index key: it is reported.
            Assert.Equal((1, 2, 1, 0), (done.Reports, done.Authorisations, done.Unlinked, done.UnreadableReports));
        }

        // Only the new keys: the report issued before still opens, whole, and the authorisations still cover their people.
        var onlyNew = Rotated(platform);
        onlyNew.Remove("Keys:OldIndex:i1");
        onlyNew["Keys:Encryption:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var newOnly = platform.Sibling(onlyNew);
        var reopened = await WithAsync(newOnly, s => s.GetRequiredService<ReportService>().FindAsync(before.ReportNo, null, bank.Id, CancellationToken.None));
        Assert.NotNull(reopened);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(reopened.Value.Content));
        var (again, refusal) = await QueryAsync(newOnly, bank.Id, Person(numbers[0]), granted);
        Assert.Null(refusal);
        Assert.Equal(before.Records.Count, again!.Records.Count);
        Assert.Null((await QueryAsync(newOnly, bank.Id, Person(later), grantedLater)).Refusal);
    }

    [Fact]
    public async Task AWrittenAuthorisationKeptUnderTheRetiredIndexKeyIsThePersonsBeforeTheRotationReachesIt()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var bank = await platform.AddOrganisationAsync("长沙银行", "bank", uses: false);
        // Registered for someone the platform does not know yet: kept by their index value under the key of the day.
        var number = TestCodes.NewResidentId();
        var (granted, errors) = await WithAsync(platform.App, s => s.GetRequiredService<AuthorisationService>().RegisterWrittenAsync(bank.Id, "test",
            new AuthorizationRequest(new SubjectInput("resident-id", number, "张三"), "贷款审批", ["administrative"], DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
                new EvidenceFile("授权书.pdf", Convert.ToBase64String(TestEvidence.SignedAuthorisationPdf()))), CancellationToken.None));
        Assert.True(granted is not null, string.Join("; ", errors.SelectMany(e => e.Value)));

        // The index key is rotated, `keys rotate` has not run yet, and the person arrives: filed under the new key.
        await using var rotated = platform.Sibling(Rotated(platform));
        var subject = await WithAsync(rotated, async s =>
        {
            var added = await s.GetRequiredService<SubjectRegistry>().FindOrAddAsync(IdType.ResidentId, number, "张三", false, CancellationToken.None);
            await s.GetRequiredService<ChengxinDb>().SaveChangesAsync();
            return added;
        });
        Assert.DoesNotContain(await SecurityFixtures.DbAsync(platform, db => db.Authorisations.Where(a => a.Id == granted.Value).Select(a => a.SubjectIndex).SingleAsync()),
            await WithAsync(rotated, s => Task.FromResult(s.GetRequiredService<SubjectRegistry>().IndexValues(IdType.ResidentId, number)[0])));

        // What the person's portal lists is found by every index value of their number, the retired key's too; they can revoke it.
        var theirs = await WithAsync(rotated, async s => await (await s.GetRequiredService<AuthorisationService>().OfPersonAsync(subject.Id, CancellationToken.None))
            .Select(a => a.Id).ToListAsync());
        Assert.Equal([granted.Value], theirs);
        Assert.True(await WithAsync(rotated, s => s.GetRequiredService<AuthorisationService>().RevokeAsync(subject.Id, granted.Value, "user:test", CancellationToken.None)));
        Assert.Equal(subject.Id, await SecurityFixtures.DbAsync(platform, db => db.Authorisations.Where(a => a.Id == granted.Value).Select(a => a.SubjectId).SingleAsync()));
    }

    [Fact]
    public async Task AfterARotationTheOldDataKeyCanGoWithoutEndingSessions()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        // What a session cookie or an anti-forgery token carries, protected under today's data-protection key (encrypted with data key k1).
        var protectedBefore = await platform.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Protect("张伟")));
        // And a key stored plain, as before keys were encrypted.
        var plainId = await SecurityFixtures.AddPlainSessionKeyAsync(platform);

        var keys = await SecurityFixtures.DbAsync(platform, db => db.DataProtectionKeys.CountAsync());
        await using (var rotated = platform.Sibling(Rotated(platform)))
        {
            var done = await WithAsync(rotated, s => s.GetRequiredService<KeyRotation>().RunAsync(Actors.CommandLine, 10, null, CancellationToken.None));
            Assert.Equal(keys, done.SessionKeys);
            // Run again, nothing is left to do.
            Assert.Equal(0, (await WithAsync(rotated, s => s.GetRequiredService<KeyRotation>().RunAsync(Actors.CommandLine, 10, null, CancellationToken.None))).SessionKeys);
        }

        // Every stored key is now under the new data key, none plain, and the old data key is gone from the configuration.
        var stored = await SecurityFixtures.DbAsync(platform, db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.All(stored, xml => Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal));
        var onlyNew = Rotated(platform);
        onlyNew["Keys:Encryption:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var newOnly = platform.Sibling(onlyNew);
        await WithAsync(newOnly, s =>
        {
            Assert.Contains(s.GetRequiredService<IKeyManager>().GetAllKeys(), k => k.KeyId == plainId);
            Assert.Equal("张伟", s.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Unprotect(protectedBefore));
            return Task.FromResult(0);
        });
    }

    [Fact]
    public async Task APersonStoredTwiceUnderTwoOldFormsInOneBatchIsRewrittenOnceAndReported()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 2);
        // The same person again, under the first release's form of the same old key (as a database written by it could hold).
        await platform.WithScopeAsync(async services =>
        {
            var registry = services.GetRequiredService<SubjectRegistry>();
            var stored = registry.IndexValues(IdType.ResidentId, numbers[0])[0];
            var db = services.GetRequiredService<ChengxinDb>();
            db.Subjects.Add(registry.Create(IdType.ResidentId, numbers[0], "张三", synthetic: true, stored["h256:".Length..]));
            return await db.SaveChangesAsync();
        });

        await using var rotated = platform.Sibling(Rotated(platform));
        var done = await WithAsync(rotated, s => s.GetRequiredService<KeyRotation>().RunAsync(Actors.CommandLine, 10, null, CancellationToken.None));

        Assert.Equal((2, 1), (done.Rewritten, done.Remaining));
        Assert.True(await FindsAsync(rotated, numbers[0]));
        Assert.True(await FindsAsync(rotated, numbers[1]));
    }

    [Fact]
    public async Task AReportThatCannotBeDecryptedIsReportedAndTheRestAreRotated()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        await SecurityFixtures.PushAsync(platform, 2);
        foreach (var subject in await SecurityFixtures.DbAsync(platform, db => db.Subjects.AsNoTracking().ToListAsync()))
        {
            await WithAsync(platform.App, s => s.GetRequiredService<ReportService>().SelfAsync(subject, "test", CancellationToken.None));
        }
        // One stored report damaged, as a bad disk or a bad restore would leave it.
        await platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            var report = await db.Reports.OrderBy(r => r.IssuedAt).FirstAsync();
            report.ContentCipher = [.. report.ContentCipher[..^1], (byte)(report.ContentCipher[^1] ^ 1)];
            return await db.SaveChangesAsync();
        });

        await using var rotated = platform.Sibling(Rotated(platform));
        // Pages of one: the two reports are reached a page at a time, in the order of their numbers.
        var done = await WithAsync(rotated, s => s.GetRequiredService<KeyRotation>().RunAsync(Actors.CommandLine, 1, null, CancellationToken.None));

        Assert.Equal((1, 1), (done.Reports, done.UnreadableReports));
    }

    private static async Task<T> WithAsync<T>(WebApplication app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    [Fact]
    public async Task ANodeOnTheNewKeysFindsPeopleStoredUnderTheOldOnesInsteadOfAddingThemTwice()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 3);
        await using var rotated = platform.Sibling(Rotated(platform));
        var before = await SecurityFixtures.DbAsync(platform, db => db.Subjects.AsNoTracking().ToDictionaryAsync(s => s.Id));

        await using var scope = rotated.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SubjectRegistry>();
        var found = await registry.FindOrAddAsync(IdType.ResidentId, numbers[1], "张三", synthetic: true, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<ChengxinDb>().SaveChangesAsync();

        Assert.True(before.ContainsKey(found.Id));
        Assert.Equal(before.Count, await SecurityFixtures.DbAsync(platform, db => db.Subjects.CountAsync()));
    }

    [Fact]
    public async Task CheckpointsSignedByARetiredKeyStillVerifyAfterSwitchingToSm2()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        await SecurityFixtures.PushAsync(platform, 2);
        await platform.WithScopeAsync(s => s.GetRequiredService<AuditCheckpoints>().SignHeadAsync(CancellationToken.None));
        var retired = Chengxin.Hosting.KeysOptions.TryParseSigningKey(platform.App.Configuration["Keys:AuditSigning"], out var old) ? old.Public : null;

        // The deployment moves to SM2, keeping the old key's public half to verify what it signed.
        await using var switched = platform.Sibling(new Dictionary<string, string?>
        {
            ["Keys:AuditSigning"] = Chengxin.Hosting.KeysOptions.GenerateAuditSigning(Chengxin.Crypto.SigningKey.Sm2, "a2"),
            ["Keys:AuditVerification:0"] = $"{retired!.Algorithm}:{retired.KeyId}:{Convert.ToBase64String(retired.PublicKey)}",
        });
        await using var scope = switched.Services.CreateAsyncScope();
        await SecurityFixtures.PushAsync(platform, 1);
        var signed = await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().SignHeadAsync(CancellationToken.None);
        var report = await scope.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync([], CancellationToken.None);

        Assert.StartsWith("sm2:a2:", signed!.Signature, StringComparison.Ordinal);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(2, report.CheckpointsChecked);

        // Without the retired public key, the old checkpoint cannot be trusted.
        await using var forgetful = platform.Sibling(new Dictionary<string, string?> { ["Keys:AuditSigning"] = Chengxin.Hosting.KeysOptions.GenerateAuditSigning(Chengxin.Crypto.SigningKey.Sm2, "a2") });
        await using var forgetfulScope = forgetful.Services.CreateAsyncScope();
        Assert.False((await forgetfulScope.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync([], CancellationToken.None)).Intact);
    }

    /// <summary>Reports on the calling thread, so the test can stop the rotation exactly after a batch.</summary>
    [Fact]
    public async Task PeopleAndAuthorisationsInTheFirstReleasesIndexFormAreFoundUntilNoneIsLeft()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, querier) = await SecurityFixtures.PushAsync(platform, 2);
        static async Task<IReadOnlyList<string>> ValuesAsync(WebApplication app, string number)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var registry = scope.ServiceProvider.GetRequiredService<SubjectRegistry>();
            await registry.PrepareLookupsAsync(CancellationToken.None);
            return registry.IndexValues(IdType.ResidentId, number);
        }
        // A database with none: lookups try the current form only (half the index probes of every batch).
        Assert.Single(await ValuesAsync(platform.App, numbers[0]));

        // The first release wrote values without the algorithm tag. An authorisation keeps the value it was granted under, even once its person's is rewritten.
        var current = (await ValuesAsync(platform.App, numbers[0]))[0];
        var other = (await ValuesAsync(platform.App, numbers[1]))[0];
        await platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            db.Authorisations.Add(new Authorisation
            {
                SubjectIndex = other["h256:".Length..],
                QuerierId = querier.Id,
                Purpose = "贷款审批",
                Categories = "administrative",
                ValidFrom = DateOnly.FromDateTime(DateTime.UtcNow),
                ValidUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)),
                Channel = "written",
            });
            return await db.SaveChangesAsync();
        });
        await using (var restarted = platform.Sibling(new Dictionary<string, string?>()))
        {
            Assert.Contains(other["h256:".Length..], await ValuesAsync(restarted, numbers[1]));
        }

        // A person stored in that form is found by a platform started over the database.
        await platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            db.Authorisations.RemoveRange(db.Authorisations.Where(a => a.QuerierId == querier.Id));
            (await db.Subjects.SingleAsync(s => s.BlindIndex == current)).BlindIndex = current["h256:".Length..];
            return await db.SaveChangesAsync();
        });
        await using (var restarted = platform.Sibling(new Dictionary<string, string?>()))
        {
            Assert.True(await FindsAsync(restarted, numbers[0]));
        }
    }

    private sealed class SynchronousProgress(Action<RotationProgress> report) : IProgress<RotationProgress>
    {
        public void Report(RotationProgress value) => report(value);
    }
}

public sealed class KeyRotationOnSqlite() : KeyRotationTests("sqlite");

public sealed class KeyRotationOnPostgres() : KeyRotationTests("postgres");
