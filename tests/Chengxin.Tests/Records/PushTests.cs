using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Organisations;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Records;

public abstract partial class PushTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private static object Penalty(string sourceId, string idNumber, string decisionNo = "湘市监罚〔2025〕0001号", string severity = "general") => new
    {
        sourceId,
        catalogItem = "admin-penalty",
        subject = new { idType = "resident-id", idNumber, name = "张三" },
        occurredOn = "2025-06-03",
        fields = new
        {
            decisionNo,
            authority = "湖南省市场监督管理局",
            domain = "food-drug",
            violation = "销售过期食品",
            legalProvision = "《中华人民共和国食品安全法》第一百二十四条",
            penaltyType = "fine",
            fineAmount = 5000.0,
            severity,
        },
    };

    private async Task<(OrganisationView Organisation, HttpClient Client)> ProviderAsync(string kind = "department", params string[] items)
    {
        var organisation = await Platform.AddOrganisationAsync("市场监管", kind, uses: false, items.Length > 0 ? items : ["admin-penalty"]);
        var credentials = await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsPush, ApiScopes.RecordsRead);
        return (organisation, await Platform.SystemClientAsync(credentials, $"{ApiScopes.RecordsPush} {ApiScopes.RecordsRead}"));
    }

    private static async Task<JsonElement> PushAsync(HttpClient client, params object[] records)
    {
        var response = await client.PostAsJsonAsync("/api/v1/records", new { records });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Statuses(JsonElement answer) =>
        [.. answer.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];

    private Task<int> ChangesAsync(Guid providerId) =>
        Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().RecordChanges.CountAsync(c => c.ProviderId == providerId));

    [Fact]
    public async Task APushedBatchIsCreatedAndReadBackAsVersionOne()
    {
        var (_, client) = await ProviderAsync();
        var answer = await PushAsync(client, Penalty("a-1", TestCodes.NewResidentId()), Penalty("a-2", TestCodes.NewResidentId()));

        Assert.Equal(["created", "created"], Statuses(answer));
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        var record = await client.GetFromJsonAsync<JsonElement>("/api/v1/records/a-1");
        Assert.Equal("active", record.GetProperty("status").GetString());
        var version = Assert.Single(record.GetProperty("versions").EnumerateArray());
        Assert.Equal("food-drug", version.GetProperty("fields").GetProperty("domain").GetString());
    }

    [Fact]
    public async Task ADateThatCannotBeReadIsOneErrorNotAlsoAMissingValue()
    {
        var (_, client) = await ProviderAsync();
        var item = JsonSerializer.SerializeToNode(Penalty("bad-date", TestCodes.NewResidentId()))!;
        item["occurredOn"] = "2025/06/03";

        var answer = await PushAsync(client, item);

        var error = Assert.Single(answer.GetProperty("results")[0].GetProperty("errors").EnumerateArray());
        Assert.Equal(("occurredOn", "type"), (error.GetProperty("field").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task ARetriedBatchIsUnchangedAndAddsNothing()
    {
        var (organisation, client) = await ProviderAsync();
        var batch = new[] { Penalty("r-1", TestCodes.NewResidentId()), Penalty("r-2", TestCodes.NewResidentId()) };
        var first = await PushAsync(client, batch);
        var changes = await ChangesAsync(organisation.Id);

        var retry = await PushAsync(client, batch);

        Assert.Equal(["unchanged", "unchanged"], Statuses(retry));
        Assert.Equal(first.GetProperty("results")[0].GetProperty("recordId").GetString(), retry.GetProperty("results")[0].GetProperty("recordId").GetString());
        Assert.Equal(changes, await ChangesAsync(organisation.Id));
        var record = await client.GetFromJsonAsync<JsonElement>("/api/v1/records/r-1");
        Assert.Equal(1, record.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task NewContentForASourceIdIsANewVersionAndTheOldOneIsKept()
    {
        var (_, client) = await ProviderAsync();
        var id = TestCodes.NewResidentId();
        await PushAsync(client, Penalty("v-1", id, severity: "general"));

        var correction = await PushAsync(client, Penalty("v-1", id, severity: "minor"));

        Assert.Equal(["updated"], Statuses(correction));
        var versions = (await client.GetFromJsonAsync<JsonElement>("/api/v1/records/v-1")).GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("number").GetInt32()));
        Assert.Equal("general", versions[0].GetProperty("fields").GetProperty("severity").GetString());
        Assert.Equal("minor", versions[1].GetProperty("fields").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task TheSameSourceIdAboutAnotherPersonIsRefused()
    {
        var (_, client) = await ProviderAsync();
        await PushAsync(client, Penalty("s-1", TestCodes.NewResidentId()));

        var answer = await PushAsync(client, Penalty("s-1", TestCodes.NewResidentId()));

        Assert.Equal("subject-changed", answer.GetProperty("results")[0].GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task RecordsAboutOnePersonShareOneSubject()
    {
        var (organisation, client) = await ProviderAsync();
        var id = TestCodes.NewResidentId();
        await PushAsync(client, Penalty("p-1", id), Penalty("p-2", id.ToLowerInvariant()));

        var subjects = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Records
            .Where(r => r.ProviderId == organisation.Id).Select(r => r.SubjectId).Distinct().CountAsync());
        Assert.Equal(1, subjects);
    }

    [Fact]
    public async Task ARevokedRecordIsMarkedAndCannotBePushedAgain()
    {
        var (organisation, client) = await ProviderAsync();
        var id = TestCodes.NewResidentId();
        await PushAsync(client, Penalty("q-1", id));

        var revoked = await client.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "q-1", reason = "复议决定撤销原处罚决定" });
        var again = await client.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "q-1", reason = "重复提交" });
        var repush = await PushAsync(client, Penalty("q-1", id, decisionNo: "湘市监罚〔2025〕0002号"));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var record = await revoked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("revoked", record.GetProperty("status").GetString());
        Assert.Equal("复议决定撤销原处罚决定", record.GetProperty("revocationReason").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("复议决定撤销原处罚决定", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revocationReason").GetString());
        Assert.Equal("revoked", repush.GetProperty("results")[0].GetProperty("errors")[0].GetProperty("code").GetString());
        var kinds = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().RecordChanges
            .Where(c => c.ProviderId == organisation.Id).OrderBy(c => c.Sequence).Select(c => c.Kind).ToListAsync());
        Assert.Equal([RecordChangeKind.Created, RecordChangeKind.Revoked], kinds);
    }

    [Fact]
    public async Task RevokingNeedsAReasonAndAnOwnRecord()
    {
        var (_, client) = await ProviderAsync();
        var (_, other) = await ProviderAsync();
        await PushAsync(client, Penalty("w-1", TestCodes.NewResidentId()));

        var noReason = await client.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "w-1" });
        var foreign = await other.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "w-1", reason = "越权" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        // Said in problem details, naming what was looked for: the same answer as for a source id never pushed.
        var problem = await foreign.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No such record of your organisation.", problem.GetProperty("title").GetString());
        Assert.Contains("'w-1'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("active", (await client.GetFromJsonAsync<JsonElement>("/api/v1/records/w-1")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConcurrentPushesOfTheSameBatchStoreEachRecordOnce()
    {
        var (organisation, client) = await ProviderAsync();
        var batch = Enumerable.Range(0, 20).Select(i => Penalty($"c-{i}", TestCodes.NewResidentId())).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PushAsync(client, batch)));

        Assert.All(answers, a => Assert.Equal(20, a.GetProperty("accepted").GetInt32()));
        var (records, versions, created) = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            var ids = db.Records.Where(r => r.ProviderId == organisation.Id).Select(r => r.Id);
            return (await ids.CountAsync(), await db.RecordVersions.CountAsync(v => ids.Contains(v.RecordId)),
                await db.RecordChanges.CountAsync(c => c.ProviderId == organisation.Id && c.Kind == RecordChangeKind.Created));
        });
        Assert.Equal(20, records);
        Assert.Equal(20, versions);
        Assert.Equal(20, created);
    }

    [Fact]
    public async Task APersonAnotherDepartmentPushesBetweenTheChecksAndTheStoreIsStoredOnce()
    {
        var (organisation, _) = await ProviderAsync();
        var (_, other) = await ProviderAsync();
        var number = TestCodes.NewResidentId();
        var batch = Chengxin.Records.PushService.ReadBatch(JsonSerializer.SerializeToElement(new { records = new[] { Penalty("late-1", number) } })).Batch!;

        var status = await Platform.WithScopeAsync(async services =>
        {
            var push = services.GetRequiredService<Chengxin.Records.PushService>();
            var checkedBatch = await push.CheckAsync(organisation.Id, batch, CancellationToken.None);
            // The person is new when checked; another department brings them to the platform before the store.
            await PushAsync(other, Penalty("other-1", number));
            return (await push.StoreAsync([checkedBatch], CancellationToken.None))[0].Results[0].Status;
        });

        Assert.Equal(Chengxin.Records.PushResult.Created, status);
        var (person, subjectIds) = await Platform.WithScopeAsync(async services =>
        {
            var person = await services.GetRequiredService<Subjects.SubjectRegistry>().FindAsync(Chengxin.Identity.IdType.ResidentId, number, CancellationToken.None);
            var ids = await services.GetRequiredService<ChengxinDb>().Records.Where(r => r.SourceId == "late-1" || r.SourceId == "other-1").Select(r => r.SubjectId).ToListAsync();
            return (person, ids);
        });
        Assert.Equal([person!.Id, person.Id], subjectIds);
    }

    [Fact]
    public async Task ARecordStoredOrRevokedBetweenTheChecksAndTheStoreIsJudgedAsItNowIs()
    {
        var (organisation, client) = await ProviderAsync();
        var (first, second) = (TestCodes.NewResidentId(), TestCodes.NewResidentId());
        await PushAsync(client, Penalty("kept-1", second));
        var batch = Chengxin.Records.PushService.ReadBatch(JsonSerializer.SerializeToElement(new
        {
            records = new[] { Penalty("new-1", first), Penalty("kept-1", second, decisionNo: "湘市监罚〔2025〕0009号") },
        })).Batch!;

        var results = await Platform.WithScopeAsync(async services =>
        {
            var push = services.GetRequiredService<Chengxin.Records.PushService>();
            var checkedBatch = await push.CheckAsync(organisation.Id, batch, CancellationToken.None);
            // Meanwhile the same department's other system sends new-1, and kept-1's decision is quashed.
            await PushAsync(client, Penalty("new-1", first));
            (await client.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = "kept-1", reason = "复议决定撤销原处罚决定" })).EnsureSuccessStatusCode();
            return (await push.StoreAsync([checkedBatch], CancellationToken.None))[0].Results;
        });

        Assert.Equal(Chengxin.Records.PushResult.Unchanged, results[0].Status);
        Assert.Equal((Chengxin.Records.PushResult.Rejected, "revoked"), (results[1].Status, results[1].Errors![0].Code));
        var versions = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Records
            .Where(r => r.ProviderId == organisation.Id).Select(r => r.Versions.Count).ToListAsync());
        Assert.Equal([1, 1], versions);
    }

    [Fact]
    public async Task ATokenWithoutThePushScopeCannotPush()
    {
        var organisation = await Platform.AddOrganisationAsync("只读单位", "admin-penalty");
        using var reader = await Platform.SystemClientAsync(await Platform.AddClientAsync(organisation.Code, ApiScopes.RecordsRead), ApiScopes.RecordsRead);

        var response = await reader.PostAsJsonAsync("/api/v1/records", new { records = new[] { Penalty("x-1", TestCodes.NewResidentId()) } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TheFinancialCreditDatabasePushesReferences()
    {
        var (organisation, client) = await ProviderAsync("financial-credit-database", "admin-penalty");
        await PushAsync(client, Penalty("f-1", TestCodes.NewResidentId()));

        var isReference = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Records.Where(r => r.ProviderId == organisation.Id).Select(r => r.IsReference).SingleAsync());
        Assert.True(isReference);
    }
}

public abstract partial class PushTests<TPlatform>
{
    private static object LegalRepresentative(string sourceId, string idNumber, string organisationCode) => new
    {
        sourceId,
        catalogItem = "legal-representative",
        subject = new { idType = "resident-id", idNumber, name = "钱七" },
        occurredOn = "2024-03-01",
        fields = new { organisationCode, organisationName = "长沙某某餐饮有限公司", role = "legal-representative", startedOn = "2024-03-01", registrationAuthority = "长沙市市场监督管理局" },
    };

    [Fact]
    public async Task ALegalRepresentativeRecordLinksThePersonToTheOrganisation()
    {
        var (_, client) = await ProviderAsync("department", "legal-representative");
        var company = TestCodes.NewCreditCode();
        var id = TestCodes.NewResidentId();

        var answer = await PushAsync(client, LegalRepresentative("lr-1", id, company.ToLowerInvariant()));

        Assert.Equal(["created"], Statuses(answer));
        var role = await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().SubjectRoles.SingleAsync(r => r.OrganisationCode == company));
        Assert.Equal("legal-representative", role.Role);
        Assert.Equal(new DateOnly(2024, 3, 1), role.Since);
    }

    [Fact]
    public async Task AnInvalidOrganisationCodeInTheFieldsIsRefusedWithItsReason()
    {
        var (_, client) = await ProviderAsync("department", "legal-representative");
        var company = TestCodes.NewCreditCode();
        var wrong = company[..17] + (company[17] == '0' ? '1' : '0');

        var answer = await PushAsync(client, LegalRepresentative("lr-2", TestCodes.NewResidentId(), wrong));

        var error = answer.GetProperty("results")[0].GetProperty("errors")[0];
        Assert.Equal("fields.organisationCode", error.GetProperty("field").GetString());
        Assert.Equal("checksum", error.GetProperty("code").GetString());
    }
}

public sealed class PushOnSqlite(SqlitePlatform fixture) : PushTests<SqlitePlatform>(fixture);

public sealed class PushOnPostgres(PostgresPlatform fixture) : PushTests<PostgresPlatform>(fixture);
