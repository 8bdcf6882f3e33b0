using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Reports;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Chengxin.Tests.Reports;

/// <summary>
/// A bank queries a person's report with the person's written authorisation: exactly the authorised
/// scope comes back, anything outside it is refused with the same answer as an unknown person, and
/// every report can be verified by its code without showing its content.
/// </summary>
public abstract class ReportTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private const string Purpose = "个人住房贷款审批";
    protected TestPlatform Platform => fixture.Platform;

    private static string Today(int days = 0) => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static object Subject(string number) => new { idType = "resident-id", idNumber = number, name = "张三" };

    /// <summary>A person with a general penalty and a minor warning (never shown), and a bank holding their written authorisation for administrative records.</summary>
    protected async Task<(HttpClient Bank, string Number, Guid AuthorizationId)> AuthorisedBankAsync()
    {
        var (provider, numbers, _) = await SecurityFixtures.PushAsync(Platform, 1);
        var minor = SecurityFixtures.Penalty("MINOR-" + Guid.NewGuid().ToString("N")[..8], numbers[0], decisionNo: "湘市监罚〔2025〕0099号");
        var minorJson = JsonSerializer.SerializeToNode(minor)!;
        minorJson["fields"]!["severity"] = "minor";
        minorJson["fields"]!["penaltyType"] = "warning";
        minorJson["fields"]!.AsObject().Remove("fineAmount");
        (await provider.PostAsJsonAsync("/api/v1/records", new { records = new[] { minorJson } })).EnsureSuccessStatusCode();
        var bank = await Platform.AddOrganisationAsync("长沙银行", "bank", uses: false);
        var credentials = await Platform.AddClientAsync(bank.Code, ApiScopes.Reports);
        var client = await Platform.SystemClientAsync(credentials, ApiScopes.Reports);
        return (client, numbers[0], await RegisterAuthorisationAsync(client, numbers[0], "administrative"));
    }

    /// <summary>The bank registers the person's written authorisation for these categories, valid 30 days; its id.</summary>
    private static async Task<Guid> RegisterAuthorisationAsync(HttpClient bank, string number, params string[] categories)
    {
        var registered = await bank.PostAsJsonAsync("/api/v1/authorizations", new
        {
            subject = Subject(number),
            purpose = Purpose,
            categories,
            validUntil = Today(30),
            evidence = TestEvidence.Pdf(),
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationId").GetGuid();
    }

    protected static Task<HttpResponseMessage> ReportAsync(HttpClient bank, string number, Guid authorizationId, string purpose = Purpose, string[]? categories = null,
        string name = "张三") =>
        bank.PostAsJsonAsync("/api/v1/reports", new { subject = new { idType = "resident-id", idNumber = number, name }, purpose, authorizationId, categories });

    [Fact]
    public async Task AnAuthorisedQueryGetsExactlyTheAuthorisedScopeMasked()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();

        var response = await ReportAsync(bank, number, authorizationId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches("^CX[0-9]{8}[0-9A-Z]{12}$", report.GetProperty("reportNo").GetString());
        Assert.Equal(16, report.GetProperty("verificationCode").GetString()!.Length);
        Assert.Contains("********", report.GetProperty("subject").GetProperty("idNumber").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(number, report.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("张*", report.GetProperty("subject").GetProperty("name").GetString());
        // Chinese is written as text, not as \u escapes.
        Assert.Contains("\"name\":\"张*\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The minor penalty is never shown; the general one is, within the authorised category.
        var records = report.GetProperty("records").EnumerateArray().ToList();
        Assert.Single(records);
        Assert.Equal("administrative", records[0].GetProperty("category").GetString());
        Assert.Equal("general", records[0].GetProperty("grade").GetString());
        Assert.Equal(["administrative"], report.GetProperty("scope").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task AnAuthorisedReportCarriesTheFieldsTheCatalogDisclosesAndNotThoseKeptForTheGovernment()
    {
        var (bank, number, _) = await AuthorisedBankAsync();
        // Shown to authorised queriers; its counterparty (another party's identity) is for the government only.
        var court = await Platform.AddOrganisationAsync("芙蓉区法院", "court", uses: false, "contract-default");
        using var push = await Platform.SystemClientAsync(await Platform.AddClientAsync(court.Code, ApiScopes.RecordsPush), ApiScopes.RecordsPush);
        var pushed = await (await push.PostAsJsonAsync("/api/v1/records", new
        {
            records = new[]
            {
                new
                {
                    sourceId = "CONTRACT-" + Guid.NewGuid().ToString("N")[..8],
                    catalogItem = "contract-default",
                    subject = Subject(number),
                    occurredOn = Today(-20),
                    fields = new { contractType = "lease", counterparty = "长沙某置业有限公司", defaultType = "non-payment", amount = 12000.0, determinedBy = "court-judgment", documentNo = "（2026）湘0102民初88号" },
                },
            },
        })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("created", pushed.GetProperty("results")[0].GetProperty("status").GetString());
        var registered = await bank.PostAsJsonAsync("/api/v1/authorizations", new
        {
            subject = Subject(number),
            purpose = Purpose,
            categories = new[] { "administrative", "contract-performance" },
            validUntil = Today(30),
            evidence = TestEvidence.Pdf(),
        });
        var authorizationId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationId").GetGuid();

        var report = await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>();

        var fields = report.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("catalogItem").GetString()!, r => r.GetProperty("fields"));
        Assert.Equal(12000m, fields["contract-default"].GetProperty("amount").GetDecimal());
        Assert.Equal("（2026）湘0102民初88号", fields["contract-default"].GetProperty("documentNo").GetString());
        Assert.False(fields["contract-default"].TryGetProperty("counterparty", out _));
        Assert.DoesNotContain("长沙某置业", report.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("湘市监罚〔2025〕0001号", fields["admin-penalty"].GetProperty("decisionNo").GetString());
    }

    [Fact]
    public async Task EveryRefusalGetsTheSameAnswerAsAnUnknownPerson()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var stranger = TestCodes.NewResidentId();

        var answers = new[]
        {
            await ReportAsync(bank, stranger, authorizationId),
            await ReportAsync(bank, number, Guid.CreateVersion7()),
            await ReportAsync(bank, number, authorizationId, purpose: "招聘背景调查"),
            await ReportAsync(bank, number, authorizationId, categories: ["judicial"]),
            await ReportAsync(bank, number, authorizationId, name: "李四"),
        };

        var details = new List<string?>();
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("No valid authorisation for this query.", problem.GetProperty("title").GetString());
            details.Add(problem.GetProperty("detail").GetString());
        }
        Assert.Single(details.Distinct());
        // The refused queries about the known person are registered, with the reason.
        var refusals = await SecurityFixtures.DbAsync(Platform, db => db.QueryRegistrations.Where(q => q.Basis.StartsWith("refused:")).Select(q => q.Basis).ToListAsync());
        Assert.Contains("refused:other-purpose", refusals);
        Assert.Contains("refused:outside-scope", refusals);
        Assert.Contains("refused:other-name", refusals);
        // The right name written with a full-width space between its characters is the same name.
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(bank, number, authorizationId, name: "张\u3000三")).StatusCode);
    }

    [Fact]
    public async Task APurposeLongerThanAnyAuthorisationsIsAFieldErrorForKnownAndUnknownPeopleAlike()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var purpose = new string('审', 201);

        foreach (var who in new[] { number, TestCodes.NewResidentId() })
        {
            var answer = await ReportAsync(bank, who, authorizationId, purpose: purpose);

            // Said of the request alone, before anyone is looked up: it tells nothing about whether the person is known.
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains("at most 200", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("purpose")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await SecurityFixtures.DbAsync(Platform, db => db.AuditEntries.CountAsync(e => e.Target.Contains(purpose.Substring(0, 100)))));
    }

    [Fact]
    public async Task AnAuthorisationListsItsCategoriesInTheOrderTheyWereGivenEveryTime()
    {
        var (bank, number, _) = await AuthorisedBankAsync();
        // Not the catalog's order (judicial comes before administrative there).
        var authorizationId = await RegisterAuthorisationAsync(bank, number, "administrative", "judicial");

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var standing = await bank.GetFromJsonAsync<JsonElement>($"/api/v1/authorizations/{authorizationId}");
            Assert.Equal(["administrative", "judicial"], standing.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        }
    }

    [Fact]
    public async Task ARevokedAuthorisationStopsTheNextQueryAtOnceAndTheQuerierCanSeeItWasRevoked()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var issued = await ReportAsync(bank, number, authorizationId);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        // The answer's Location is the report, readable again there.
        var reportNo = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportNo").GetString();
        Assert.Equal($"/api/v1/reports/{reportNo}", issued.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await bank.GetAsync(issued.Headers.Location)).StatusCode);
        // So is the authorisation's, as its registration answered.
        var standing = await bank.GetFromJsonAsync<JsonElement>($"/api/v1/authorizations/{authorizationId}");
        Assert.Equal("current", standing.GetProperty("state").GetString());
        Assert.Equal(["administrative"], standing.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var (otherBank, _, _) = await AuthorisedBankAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await otherBank.GetAsync($"/api/v1/authorizations/{authorizationId}")).StatusCode);

        var subjectId = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.Id == authorizationId).Select(a => a.SubjectId!.Value).SingleAsync());
        Assert.True(await Platform.WithScopeAsync(s => s.GetRequiredService<AuthorisationService>().RevokeAsync(subjectId, authorizationId, "user:test", CancellationToken.None)));

        Assert.Equal(HttpStatusCode.Forbidden, (await ReportAsync(bank, number, authorizationId)).StatusCode);
        var revoked = await bank.GetFromJsonAsync<JsonElement>($"/api/v1/authorizations/{authorizationId}");
        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task AnIssuedReportIsReadAgainOnlyWhileItsAuthorisationStandsAndEachReadIsRegistered()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var reportNo = (await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportNo").GetString();
        var subjectId = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.Id == authorizationId).Select(a => a.SubjectId!.Value).SingleAsync());
        Task<List<string>> BasesAsync() => SecurityFixtures.DbAsync(Platform, db => db.QueryRegistrations.Where(q => q.SubjectId == subjectId).OrderBy(q => q.AuditSequence).Select(q => q.Basis).ToListAsync());

        var before = await bank.GetAsync($"/api/v1/reports/{reportNo}");
        var registered = await BasesAsync();
        Assert.True(await Platform.WithScopeAsync(s => s.GetRequiredService<AuthorisationService>().RevokeAsync(subjectId, authorizationId, "user:test", CancellationToken.None)));
        var after = await bank.GetAsync($"/api/v1/reports/{reportNo}");
        var afterPdf = await bank.GetAsync($"/api/v1/reports/{reportNo}/pdf");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal([$"authorisation:{authorizationId:N}", $"authorisation:{authorizationId:N}"], registered);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, afterPdf.StatusCode);
        Assert.Equal(["refused:revoked", "refused:revoked"], (await BasesAsync()).Skip(2));
    }

    [Fact]
    public async Task AnIssuedReportHoldingARecordRevokedSinceIsNotShownAgain()
    {
        var (provider, numbers, _) = await SecurityFixtures.PushAsync(Platform, 1);
        var bank = await Platform.SystemClientAsync(await Platform.AddClientAsync((await Platform.AddOrganisationAsync("浏阳银行", "bank", uses: false)).Code, ApiScopes.Reports), ApiScopes.Reports);
        var authorizationId = await RegisterAuthorisationAsync(bank, numbers[0], "administrative");
        var issued = await (await ReportAsync(bank, numbers[0], authorizationId)).Content.ReadFromJsonAsync<JsonElement>();
        var reportNo = issued.GetProperty("reportNo").GetString();
        Assert.Single(issued.GetProperty("records").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await bank.GetAsync($"/api/v1/reports/{reportNo}")).StatusCode);

        // The penalty decision is quashed: the record may no longer be shown anywhere, a report issued before included.
        (await provider.PostAsJsonAsync("/api/v1/records/revocations", new { sourceId = SecurityFixtures.SourceId(numbers[0]), reason = "复议决定撤销原处罚决定" })).EnsureSuccessStatusCode();
        var again = await bank.GetAsync($"/api/v1/reports/{reportNo}");
        var againPdf = await bank.GetAsync($"/api/v1/reports/{reportNo}/pdf");

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, againPdf.StatusCode);
        Assert.Contains("Request a new report", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await SecurityFixtures.DbAsync(Platform, db => db.QueryRegistrations.CountAsync(q => q.ReportNo == reportNo && q.Basis == "refused:content-changed" && q.Records == 0)));
        // A new report is issued without it.
        var fresh = await ReportAsync(bank, numbers[0], authorizationId);
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.Empty((await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("records").EnumerateArray());
    }

    [Fact]
    public async Task APersonsRecordsAreReadOnlyForTheQuerierWhoseUnrevokedAuthorisationIsCited()
    {
        var (_, number, authorizationId) = await AuthorisedBankAsync();
        var cited = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.AsNoTracking().SingleAsync(a => a.Id == authorizationId));
        var other = await Platform.AddOrganisationAsync("另一家银行", "bank", uses: false);
        var otherId = await SecurityFixtures.DbAsync(Platform, db => db.Organisations.Where(o => o.Code == other.Code).Select(o => o.Id).SingleAsync());
        Task<(Subject? Subject, Authorisation? Cited, IReadOnlyList<Archive.ArchiveRow> Archive)> FindAsync(Guid querierId) => Platform.WithScopeAsync(async s =>
        {
            var subjects = s.GetRequiredService<Chengxin.Subjects.SubjectRegistry>();
            await subjects.PrepareLookupsAsync(CancellationToken.None);
            return await s.GetRequiredService<AuthorisationService>().FindAsync(subjects.IndexValues(Identity.IdType.ResidentId, number), authorizationId, querierId, CancellationToken.None);
        });

        var forBank = await FindAsync(cited.QuerierId);
        var forOther = await FindAsync(otherId);
        Assert.True(await Platform.WithScopeAsync(s => s.GetRequiredService<AuthorisationService>().RevokeAsync(cited.SubjectId!.Value, authorizationId, "user:test", CancellationToken.None)));
        var afterRevocation = await FindAsync(cited.QuerierId);

        Assert.Equal(2, forBank.Archive.Count);
        Assert.Equal(cited.SubjectId, forOther.Subject?.Id);
        Assert.Equal(authorizationId, forOther.Cited?.Id);
        Assert.Empty(forOther.Archive);
        Assert.NotNull(afterRevocation.Subject);
        Assert.Empty(afterRevocation.Archive);
    }

    [Fact]
    public async Task APersonTheArchiveHoldsNothingAboutGetsAReportWithNoRecords()
    {
        var number = TestCodes.NewResidentId();
        await Platform.WithScopeAsync(async s =>
        {
            s.GetRequiredService<Chengxin.Subjects.SubjectRegistry>().Add(Identity.IdType.ResidentId, number, "张三", synthetic: true);
            return await s.GetRequiredService<ChengxinDb>().SaveChangesAsync();
        });
        var bank = await Platform.AddOrganisationAsync("岳麓银行", "bank", uses: false);
        var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(bank.Code, ApiScopes.Reports), ApiScopes.Reports);
        var authorizationId = await RegisterAuthorisationAsync(client, number, "administrative", "judicial");

        var response = await ReportAsync(client, number, authorizationId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(report.GetProperty("records").EnumerateArray());
        Assert.Equal(0, report.GetProperty("summary").GetProperty("records").GetInt32());
        Assert.Equal("张*", report.GetProperty("subject").GetProperty("name").GetString());
    }

    [Fact]
    public async Task AnAuthorisationPastItsTermIsRefused()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();

        await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.Id == authorizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ValidUntil, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2))));

        Assert.Equal(HttpStatusCode.Forbidden, (await ReportAsync(bank, number, authorizationId)).StatusCode);
    }

    [Fact]
    public async Task AReportRequestedTwiceHasTheSameContentNewNumbersAndBothVerify()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();

        var first = await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.NotEqual(first.GetProperty("reportNo").GetString(), second.GetProperty("reportNo").GetString());
        Assert.Equal(first.GetProperty("records").GetRawText(), second.GetProperty("records").GetRawText());
        foreach (var report in new[] { first, second })
        {
            var page = await Platform.Http.GetAsync($"/verify/{report.GetProperty("verificationCode").GetString()}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains(report.GetProperty("reportNo").GetString()!, html, StringComparison.Ordinal);
            Assert.Contains("<dd id=\"edition\">授权查询版", html, StringComparison.Ordinal);
            Assert.DoesNotContain("湘市监罚", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AReportIsStoredCompressedUnderItsDigestAndOneStoredPlainBeforeIsStillRead()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var issued = await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>();
        var reportNo = issued.GetProperty("reportNo").GetString()!;

        var (row, stored) = await Platform.WithScopeAsync(async s =>
        {
            var row = await s.GetRequiredService<ChengxinDb>().Reports.AsNoTracking().SingleAsync(r => r.ReportNo == reportNo);
            return (row, s.GetRequiredService<Chengxin.Crypto.FieldCipher>().DecryptBytes(row.ContentCipher, $"reports/{row.Id:N}/content"));
        });
        var json = ReportContentCodec.Unpack(stored);
        Assert.Equal(2, stored[0]); // LZ4
        // Even with its nonce, tag and key id, the ciphertext is shorter than the JSON it holds.
        Assert.True(row.ContentCipher.Length < System.Text.Encoding.UTF8.GetByteCount(json), "The stored content is compressed.");
        // The digest the verification page shows is of the content itself, not of its stored form.
        Assert.Equal(row.ContentSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json))));

        // As the platform stored reports before: the JSON itself under the cipher, then Brotli behind mark 1.
        var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        var brotli = new byte[1 + System.IO.Compression.BrotliEncoder.GetMaxCompressedLength(utf8.Length)];
        brotli[0] = 1;
        Assert.True(System.IO.Compression.BrotliEncoder.TryCompress(utf8, brotli.AsSpan(1), out var written, 1, 22));
        foreach (var earlier in new[] { utf8, brotli[..(1 + written)] })
        {
            await Platform.WithScopeAsync(async s =>
            {
                var cipher = s.GetRequiredService<Chengxin.Crypto.FieldCipher>().Encrypt(earlier, $"reports/{row.Id:N}/content");
                return await s.GetRequiredService<ChengxinDb>().Reports.Where(r => r.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.ContentCipher, cipher));
            });
            var again = await (await bank.GetAsync($"/api/v1/reports/{reportNo}")).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(issued.GetProperty("records").GetRawText(), again.GetProperty("records").GetRawText());
        }
    }

    [Theory]
    [InlineData("hello", null)]
    [InlineData("""{"subject":{"idType":"resident-id","idNumber":"x","name":"张三"},"purpose":"p","authorizationId":"abc"}""", "authorizationId")]
    [InlineData("""{"subject":{"idType":"resident-id","idNumber":"x","name":"张三"},"purpose":"p","categories":"administrative"}""", "categories")]
    public async Task ARequestBodyThatCannotBeReadIsAProblemNamingTheField(string body, string? field)
    {
        var (bank, _, _) = await AuthorisedBankAsync();

        var response = await bank.PostAsync("/api/v1/reports", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The request body could not be read.", problem.GetProperty("title").GetString());
        Assert.Equal(field, problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Single().Name : null);
        // The caller's mistake, answered: not logged as the platform's own error with a stack trace.
        Assert.DoesNotContain(Platform.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("BadHttpRequestException", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "The request has no body.", "JSON object")]
    [InlineData("""{"subject":{"idType":"resident-id","idNumber":"x","name":"张三"},"purpose":""", "The request body could not be read.", "not valid JSON")]
    [InlineData("""{"subject":{"idType":"resident-id","idNumber":"x","name":"张三"},"purpose":"p",}""", "The request body could not be read.", "not valid JSON")]
    public async Task AMissingOrBrokenBodyIsSaidSoInTheCallersTerms(string body, string title, string detail)
    {
        var (bank, _, _) = await AuthorisedBankAsync();

        var response = await bank.PostAsync("/api/v1/reports", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("parameter", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportRequestThatCitesNoAuthorisationIsRefusedAndToldToCiteOne()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();

        var response = await bank.PostAsJsonAsync("/api/v1/reports", new { subject = Subject(number), purpose = Purpose });

        // 403, as EXCHANGE.md says of any query without a valid authorisation, naming the field that is missing.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal("authorizationId", errors.EnumerateObject().Single().Name);
        // The attempt is registered against the person, who sees it in "who looked at me", with nothing read.
        var subjectId = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.Id == authorizationId).Select(a => a.SubjectId).SingleAsync());
        var registered = await SecurityFixtures.DbAsync(Platform, db => db.QueryRegistrations.Where(q => q.SubjectId == subjectId).ToListAsync());
        Assert.Equal("refused:no-authorisation", Assert.Single(registered).Basis);
        Assert.Equal(0, registered[0].Records);
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new("zh-CN");
        try
        {
            Assert.Equal("已拒绝：未引用任何授权", ReportLabels.Basis(Platform.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>(), registered[0].Basis));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
        // A person the platform does not know gets the very same answer.
        var unknown = await bank.PostAsJsonAsync("/api/v1/reports", new { subject = Subject(TestCodes.NewResidentId()), purpose = Purpose });
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        var unknownProblem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var member in new[] { "title", "detail", "errors" })
        {
            Assert.Equal(problem.GetProperty(member).GetRawText(), unknownProblem.GetProperty(member).GetRawText());
        }
    }

    [Theory]
    [InlineData("not-a-code", HttpStatusCode.BadRequest)]
    [InlineData("0123456789ABCDEI", HttpStatusCode.BadRequest)]
    [InlineData("0123456789ABCDEF", HttpStatusCode.NotFound)]
    public async Task AMalformedOrUnknownVerificationCodeIsSaidSo(string code, HttpStatusCode status)
    {
        Assert.Equal(status, (await Platform.Http.GetAsync($"/verify/{code}")).StatusCode);
    }

    [Fact]
    public async Task ThePdfReportHasItsChineseTextAndNumber()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var report = await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>();
        var reportNo = report.GetProperty("reportNo").GetString()!;

        var pdf = await bank.GetAsync($"/api/v1/reports/{reportNo}/pdf");

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var written = string.Concat(document.GetPages().Select(p => p.Text));
        // Printed on A4 (595 × 842 points), as Chinese official documents are, not chromium's default US Letter.
        Assert.All(document.GetPages(), p =>
        {
            Assert.InRange(p.Width, 593, 597);
            Assert.InRange(p.Height, 840, 844);
        });
        // The text layer names ideographs, not the radicals the font draws them with (⺠ for 民, ⻓ for 长, ⼈ for 人).
        Assert.DoesNotContain(written.EnumerateRunes(), r => r.Value is >= 0x2E80 and < 0x2FE0);
        Assert.Contains("居民身份证", written, StringComparison.Ordinal);
        var text = written.Normalize(System.Text.NormalizationForm.FormKC);
        Assert.Contains("个人公共信用信息报告", text, StringComparison.Ordinal);
        Assert.Contains(reportNo, text, StringComparison.Ordinal);
        Assert.Contains(report.GetProperty("verificationCode").GetString()!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(number, text, StringComparison.Ordinal);
        // Words, not codes: the category, the identity type and the catalog's field labels.
        Assert.Contains("行政管理信息", text, StringComparison.Ordinal);
        Assert.Contains("处罚类别:罚款", text, StringComparison.Ordinal); // enumerations by the catalog's labels (NFKC folds the full-width colon)
        Assert.Contains("失信程度:一般", text, StringComparison.Ordinal);
        Assert.Contains("处罚机关", text, StringComparison.Ordinal);
        Assert.DoesNotContain("resident-id", text, StringComparison.Ordinal);
        // The digest the verification page shows is printed, so the holder can compare the two.
        var digest = await SecurityFixtures.DbAsync(Platform, db => db.Reports.Where(r => r.ReportNo == reportNo).Select(r => r.ContentSha256).SingleAsync());
        Assert.Contains(digest[..16], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherOrganisationCannotFetchTheReport()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var reportNo = (await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportNo").GetString();
        var (otherBank, _, _) = await AuthorisedBankAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await otherBank.GetAsync($"/api/v1/reports/{reportNo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBank.GetAsync($"/api/v1/reports/{reportNo}/pdf")).StatusCode);
    }

    [Fact]
    public async Task AWrittenAuthorisationNeedsItsEvidenceAndTerms()
    {
        var (bank, number, _) = await AuthorisedBankAsync();

        var response = await bank.PostAsJsonAsync("/api/v1/authorizations", new { subject = Subject(number), purpose = "", categories = new[] { "gossip" }, validUntil = Today(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "purpose", "categories", "validUntil", "evidence" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task TheReadmesWrittenAuthorisationExampleIsAccepted()
    {
        // Newcomers copy the README's example: its evidence file must pass the same checks as any other.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Chengxin.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository's root is not above the tests.");
        }
        var readme = await File.ReadAllTextAsync(Path.Combine(root.FullName, "README.md"));
        var evidencePath = System.Text.RegularExpressions.Regex.Match(readme, @"base64 -w0 (\S+\.pdf)").Groups[1].Value;
        Assert.NotEmpty(evidencePath);
        var (bank, number, _) = await AuthorisedBankAsync();

        var response = await bank.PostAsJsonAsync("/api/v1/authorizations", new
        {
            subject = Subject(number),
            purpose = Purpose,
            categories = new[] { "administrative" },
            validUntil = Today(30),
            evidence = new { fileName = "授权书.pdf", contentBase64 = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(root.FullName, evidencePath))) },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("授权书.pdf", "%PDF-1.4")] // starts like a PDF, is not one
    [InlineData("授权书.pdf", "PK\u0003\u0004 a renamed archive")]
    [InlineData("授权书.jpg", "%PDF-1.4")]
    [InlineData("授权书.png", "\u0089PNG")]
    public async Task EvidenceThatIsNotAReadableFileOfItsTypeIsRefusedAndNothingIsRegistered(string fileName, string content)
    {
        var (bank, number, _) = await AuthorisedBankAsync();
        var before = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.CountAsync());

        var response = await bank.PostAsJsonAsync("/api/v1/authorizations", new
        {
            subject = Subject(number),
            purpose = Purpose,
            categories = new[] { "administrative" },
            validUntil = Today(30),
            evidence = new { fileName, contentBase64 = Convert.ToBase64String(System.Text.Encoding.Latin1.GetBytes(content)) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("evidence", errors.GetProperty("evidence.contentBase64")[0].GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.CountAsync()));
    }
}

public sealed class ReportsOnSqlite(SqlitePlatform fixture) : ReportTests<SqlitePlatform>(fixture);

public sealed class ReportsOnPostgres(PostgresPlatform fixture) : ReportTests<PostgresPlatform>(fixture)
{
    /// <summary>
    /// A stored report of a few kilobytes (ten records compress to about 2 KB) stays in its row: moved out to TOAST, each
    /// report issued cost PostgreSQL another row and index entry, and a compression attempt on ciphertext.
    /// </summary>
    [Fact]
    public async Task AStoredReportOfAFewKilobytesIsKeptInItsRow()
    {
        var (bank, number, authorizationId) = await AuthorisedBankAsync();
        var reportNo = (await (await ReportAsync(bank, number, authorizationId)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportNo").GetString()!;
        await SecurityFixtures.DbAsync(Platform, async db =>
        {
            await db.Database.OpenConnectionAsync();
            async Task<object> scalar(string sql)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = sql;
                return (await command.ExecuteScalarAsync())!;
            }
            var toast = (string)await scalar("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'Reports'");
            async Task<long> chunks() => (long)await scalar($"SELECT count(*) FROM {toast}");
            var before = await chunks();
            // As large as a report of a busy archive, and as incompressible as any ciphertext.
            var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(6000);
            await db.Reports.Where(r => r.ReportNo == reportNo).ExecuteUpdateAsync(u => u.SetProperty(r => r.ContentCipher, content));
            Assert.Equal(before, await chunks());
            Assert.Equal(content, await db.Reports.Where(r => r.ReportNo == reportNo).Select(r => r.ContentCipher).SingleAsync());
            return 0;
        });
    }
}
