using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Reports;

/// <summary>Government sharing for a stated legal purpose, and the suspension of a system that reads people in bulk or enumerates numbers.</summary>
public abstract class SharingAndScrapingTests(string provider)
{
    private static object Request(string number, string purpose = "行政许可审查") => new
    {
        subject = new { idType = "resident-id", idNumber = number, name = "张三" },
        purpose,
        legalBasis = "《行政许可法》第三十一条",
        businessRef = "XK-2026-0001",
    };

    private static async Task<HttpClient> DepartmentAsync(TestPlatform platform, bool uses = true)
    {
        var department = await platform.AddOrganisationAsync("住房和城乡建设厅", "department", true);
        var credentials = await platform.AddClientAsync(department.Code, ApiScopes.Checks);
        if (!uses)
        {
            // A department that stopped being a user keeps the system it had.
            await platform.WithScopeAsync(async s =>
            {
                var db = s.GetRequiredService<ChengxinDb>();
                await db.Organisations.Where(o => o.Code == department.Code).ExecuteUpdateAsync(o => o.SetProperty(x => x.Uses, false));
                return 0;
            });
        }
        return await platform.SystemClientAsync(credentials, ApiScopes.Checks);
    }

    [Fact]
    public async Task ADepartmentReadsSharedRecordsForALegalPurposeAndTheReadIsRegistered()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 1);
        var department = await DepartmentAsync(platform);

        var shared = await department.PostAsJsonAsync("/api/v1/sharing", Request(numbers[0]));
        var unknownNumber = TestCodes.NewResidentId();
        var unknown = await department.PostAsJsonAsync("/api/v1/sharing", Request(unknownNumber));
        var otherName = await department.PostAsJsonAsync("/api/v1/sharing", new
        {
            subject = new { idType = "resident-id", idNumber = numbers[0], name = "李四" },
            purpose = "行政许可审查",
            legalBasis = "《行政许可法》第三十一条",
        });

        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        var body = await shared.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Single(body.GetProperty("records").EnumerateArray());
        Assert.Contains("********", body.GetProperty("subject").GetProperty("idNumber").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var unknownBody = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(unknownBody.GetProperty("records").EnumerateArray());
        // Masked as a known person is, the name as asked: the identity does not tell whether the platform holds the person.
        Assert.Equal($"{unknownNumber[..6]}********{unknownNumber[^4..]}", unknownBody.GetProperty("subject").GetProperty("idNumber").GetString());
        Assert.Equal($"{numbers[0][..6]}********{numbers[0][^4..]}", body.GetProperty("subject").GetProperty("idNumber").GetString());
        Assert.Equal("张*", unknownBody.GetProperty("subject").GetProperty("name").GetString());
        Assert.Equal("张*", body.GetProperty("subject").GetProperty("name").GetString());
        var registered = await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.Where(q => q.Basis.StartsWith("legal:")).Select(q => new { q.Basis, q.Purpose }).ToListAsync());
        Assert.Equal("legal:《行政许可法》第三十一条", Assert.Single(registered).Basis);
        // The matter's number is registered with the purpose.
        Assert.Equal("行政许可审查（XK-2026-0001）", registered[0].Purpose);
        // The person's number under another name reads nothing, answered as for an unknown person, and the attempt is registered.
        Assert.Empty((await otherName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("records").EnumerateArray());
        Assert.Equal(1, await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.CountAsync(q => q.Basis == "refused:other-name")));
        // The same name written with a space is the person's (compared without spaces); masked as asked, the answer's name
        // is the same whether the platform holds the person or not.
        object Spaced(string number) => new { subject = new { idType = "resident-id", idNumber = number, name = "张 三" }, purpose = "行政许可审查", legalBasis = "《行政许可法》第三十一条" };
        var spacedKnown = await (await department.PostAsJsonAsync("/api/v1/sharing", Spaced(numbers[0]))).Content.ReadFromJsonAsync<JsonElement>();
        var spacedUnknown = await (await department.PostAsJsonAsync("/api/v1/sharing", Spaced(TestCodes.NewResidentId()))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Single(spacedKnown.GetProperty("records").EnumerateArray());
        Assert.Equal(spacedUnknown.GetProperty("subject").GetProperty("name").GetString(), spacedKnown.GetProperty("subject").GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheLongestPurposeAndLegalBasisAreRegisteredWholeAndTheAuditStillVerifies()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 1);
        var department = await DepartmentAsync(platform);
        // The most each field allows: the purpose with the matter's number is 266 characters, the basis 200.
        var purpose = new string('审', 200);
        var businessRef = new string('9', 64);
        var legalBasis = "《中华人民共和国行政许可法》第三十一条、" + new string('又', 200 - 32) + "《行政许可法》第三十二条";
        Assert.Equal(200, legalBasis.Length);

        foreach (var number in new[] { numbers[0], TestCodes.NewResidentId() })
        {
            var response = await department.PostAsJsonAsync("/api/v1/sharing", new
            {
                subject = new { idType = "resident-id", idNumber = number, name = "张三" },
                purpose,
                legalBasis,
                businessRef,
            });
            // Known or not, the same answer: a person the platform does not know is not told by an error.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var registered = await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.Where(q => q.Basis.StartsWith("legal:")).Select(q => new { q.Basis, q.Purpose }).SingleAsync());
        Assert.Equal($"legal:{legalBasis}", registered.Basis);
        Assert.Equal($"{purpose}（{businessRef}）", registered.Purpose);
        Assert.True((await platform.WithScopeAsync(s => s.GetRequiredService<Audit.AuditVerification>().VerifyAsync([], CancellationToken.None))).Intact);
    }

    [Fact]
    public async Task OnlyUserDepartmentsMayReadSharedData()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var notAUser = await DepartmentAsync(platform, uses: false);

        var response = await notAUser.PostAsJsonAsync("/api/v1/sharing", Request(TestCodes.NewResidentId()));

        // Outside the caller's organisation: 403, as EXCHANGE.md says, and logged.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("user departments", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains(await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.Select(e => e.Action).ToListAsync()), a => a == Chengxin.Reports.SharingService.Refused);
        Assert.Equal(0, await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.CountAsync()));
    }

    [Fact]
    public async Task AChecksClientIsRefusedToAnOrganisationThatIsNotAUserDepartment()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var bank = await platform.AddOrganisationAsync("长沙银行", "bank", uses: false);

        var (credentials, problems) = await platform.WithScopeAsync(s => s.GetRequiredService<ClientService>().AddAsync("loans", bank.Code, [ApiScopes.Reports, ApiScopes.Checks], CancellationToken.None));

        Assert.Null(credentials);
        Assert.Contains(problems, p => p.StartsWith("--scope checks:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALegalBasisMustCiteAProvisionByItsInstrumentAndArticle()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 1);
        var department = await DepartmentAsync(platform);

        // Any text, a phrase, the instrument without its article: none says which provision allows the read.
        foreach (var legalBasis in new[] { "y", "依法", "《行政许可法》" })
        {
            var response = await department.PostAsJsonAsync("/api/v1/sharing", new
            {
                subject = new { idType = "resident-id", idNumber = numbers[0], name = "张三" },
                purpose = "行政许可审查",
                legalBasis,
            });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("第三十一条", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("legalBasis")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await SecurityFixtures.DbAsync(platform, db => db.QueryRegistrations.CountAsync(q => q.Basis.StartsWith("legal:"))));
    }

    [Fact]
    public async Task EnumeratingUnknownNumbersSuspendsTheSystemAndAlertsTheCreditOffice()
    {
        await using var platform = await TestPlatform.StartAsync(provider, settings: new Dictionary<string, string?> { ["Scraping:Misses"] = "3" });
        var department = await DepartmentAsync(platform);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await department.PostAsJsonAsync("/api/v1/sharing", Request(TestCodes.NewResidentId()))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized], statuses);
        var alert = await SecurityFixtures.DbAsync(platform, db => db.SecurityAlerts.SingleAsync());
        Assert.Equal("bulk-reading", alert.Kind);
        Assert.Contains(await SecurityFixtures.DbAsync(platform, db => db.AuditEntries.Select(e => e.Action).ToListAsync()), a => a == "client.suspend");
    }

    [Fact]
    public async Task ReadingTooManyDistinctPeopleSuspendsTheSystem()
    {
        await using var platform = await TestPlatform.StartAsync(provider, settings: new Dictionary<string, string?> { ["Scraping:DistinctSubjects"] = "2" });
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 4);
        var department = await DepartmentAsync(platform);

        var statuses = new List<HttpStatusCode>();
        foreach (var number in numbers)
        {
            statuses.Add((await department.PostAsJsonAsync("/api/v1/sharing", Request(number))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized], statuses);
    }

    [Fact]
    public async Task WalkingTheSequenceCodesOfOneBirthDateSuspendsTheSystem()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var department = await DepartmentAsync(platform);
        var born = new DateOnly(1990, 5, 5);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await department.PostAsJsonAsync("/api/v1/sharing", Request(TestCodes.NewResidentId(born)))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], statuses);
        Assert.Equal("sequential-numbers", (await SecurityFixtures.DbAsync(platform, db => db.SecurityAlerts.SingleAsync())).Kind);
    }

    [Fact]
    public async Task AskingAboutTheSamePersonAgainIsNotAWalk()
    {
        await using var platform = await TestPlatform.StartAsync(provider);
        var department = await DepartmentAsync(platform);
        var number = TestCodes.NewResidentId(new DateOnly(1990, 5, 6));

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await department.PostAsJsonAsync("/api/v1/sharing", Request(number))).StatusCode);
        }
    }

    [Fact]
    public async Task ABurstOfReadingAtNightSuspendsTheSystem()
    {
        // Off hours made to cover the whole day, so the test does not depend on when it runs.
        await using var platform = await TestPlatform.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Scraping:OffHoursFrom"] = "0",
            ["Scraping:OffHoursTo"] = "24",
            ["Scraping:OffHoursQueries"] = "2",
        });
        var (_, numbers, _) = await SecurityFixtures.PushAsync(platform, 3);
        var department = await DepartmentAsync(platform);

        var statuses = new List<HttpStatusCode>();
        foreach (var number in numbers)
        {
            statuses.Add((await department.PostAsJsonAsync("/api/v1/sharing", Request(number))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], statuses);
        Assert.Equal("off-hours-burst", (await SecurityFixtures.DbAsync(platform, db => db.SecurityAlerts.SingleAsync())).Kind);
    }
}

public sealed class SharingAndScrapingOnSqlite() : SharingAndScrapingTests("sqlite");

public sealed class SharingAndScrapingOnPostgres() : SharingAndScrapingTests("postgres");
