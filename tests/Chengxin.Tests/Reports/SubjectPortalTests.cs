using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chengxin.Accounts;
using Chengxin.Clients;
using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Reports;
using Chengxin.Subjects;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Reports;

/// <summary>
/// The person's side, as the issue's "done when" describes it: sign in, see the archive with its
/// countdowns, grant an authorisation, see the bank's query, revoke, issue and verify their own report.
/// </summary>
public abstract partial class SubjectPortalTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    private Task<PortalSession> CitizenAsync() => PortalSession.DemoAsync(Platform.Address, Roles.Subject);

    /// <summary>The demo citizen's certificate, as a bank would have it from the written application.</summary>
    private Task<(string Number, string Name)> CitizenIdentityAsync() => Platform.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<ChengxinDb>();
        var email = DemoAccounts.All.Single(a => a.Role == Roles.Subject).Email;
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var subject = await db.Subjects.SingleAsync(x => x.Id == user.SubjectId);
        var registry = s.GetRequiredService<SubjectRegistry>();
        return (registry.Number(subject), registry.Name(subject));
    });

    [Fact]
    public async Task TheArchiveGroupsRecordsByCategoryWithTheirCountdowns()
    {
        using var session = await CitizenAsync();

        var html = await (await session.GetAsync("/Me")).Content.ReadAsStringAsync();

        Assert.Contains("<h2>", html, StringComparison.Ordinal);
        Assert.Matches(@"还剩 \d+ 天|有效期内持续展示", html);
        // A shown, repairable record says how long until a repair may be applied for, or that it may be now.
        Assert.Matches(@"\d+ 天后可申请|已满最短公示期，现可申请", html);
        Assert.Contains("依据", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordItsProviderCorrectedIsMarkedCorrectedWithItsVersions()
    {
        using var session = await CitizenAsync();
        var (number, name) = await CitizenIdentityAsync();
        var provider = await Platform.AddOrganisationAsync("长沙市市场监管局", "admin-penalty");
        var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(provider.Code, ApiScopes.RecordsPush), ApiScopes.RecordsPush);
        var sourceId = "CORR-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var decisionNo in new[] { "长市监罚〔2026〕0007号", "长市监罚〔2026〕0007号（更正）" })
        {
            var record = JsonSerializer.SerializeToNode(SecurityFixtures.Penalty(sourceId, number, decisionNo))!;
            record["subject"]!["name"] = name;
            (await client.PostAsJsonAsync("/api/v1/records", new { records = new[] { record } })).EnsureSuccessStatusCode();
        }

        var html = await (await session.GetAsync("/Me")).Content.ReadAsStringAsync();

        var row = Regex.Match(html, @"<tr class=""state-[a-z]+"">(?:(?!</tr>).)*长市监罚〔2026〕0007号（更正）(?:(?!</tr>).)*</tr>", RegexOptions.Singleline).Value;
        Assert.Matches(@"已更正（\d{4}-\d{2}-\d{2}，以最新版本为准）", row);
        Assert.Contains("共 2 个版本", row, StringComparison.Ordinal);
        // Records never corrected say nothing of it.
        Assert.Single(Regex.Matches(html, "已更正"));
    }

    [Fact]
    public async Task GrantQueryRevokeAndSeeWhoLooked()
    {
        using var session = await CitizenAsync();
        var bank = await Platform.AddOrganisationAsync("湘江银行", "bank", uses: false);
        var credentials = await Platform.AddClientAsync(bank.Code, ApiScopes.Reports);
        var client = await Platform.SystemClientAsync(credentials, ApiScopes.Reports);
        var validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var granted = await session.SubmitAsync("/Me/Authorisations", new Dictionary<string, string>
        {
            ["Grant.QuerierCode"] = bank.Code,
            ["Grant.Purpose"] = "信用卡审批",
            ["Grant.Categories"] = "administrative",
            ["Grant.ValidUntil"] = validUntil,
        }, "/Me/Authorisations?handler=Grant");
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var list = await (await session.GetAsync("/Me/Authorisations")).Content.ReadAsStringAsync();
        Assert.Contains("湘江银行", list, StringComparison.Ordinal);
        var id = Guid.Parse(AuthorisationId().Match(list).Groups[1].Value);

        // The receipt reads as a document, and its signed file is one the platform signed.
        var receiptPage = await (await session.GetAsync($"/Me/Authorisation/{id}")).Content.ReadAsStringAsync();
        Assert.Contains("授权回执", receiptPage, StringComparison.Ordinal);
        Assert.Contains("信用卡审批", receiptPage, StringComparison.Ordinal);
        Assert.Contains("行政管理信息", receiptPage, StringComparison.Ordinal);
        var receiptJson = await (await session.GetAsync($"/Me/Authorisations?handler=Receipt&id={id}")).Content.ReadAsStringAsync();
        var receipt = JsonSerializer.Deserialize<ConsentReceipt>(receiptJson, ReportService.Json)!;
        Assert.True(SignatureValue.TryParse(receipt.Signature, out var signature));
        Assert.True(Platform.Services.GetRequiredService<CheckpointKeys>().Verify(AuthorisationService.ReceiptBytes(receipt), signature));
        // It names whose consent it is, masked as a report's verification page masks it: it is handed on to prove consent.
        var (number, name) = await CitizenIdentityAsync();
        Assert.Equal($"{number[..6]}********{number[^4..]} {Chengxin.Identity.Masking.Name(name)}", receipt.Subject);
        Assert.DoesNotContain(number, receiptJson, StringComparison.Ordinal);
        Assert.DoesNotContain(name, receiptJson, StringComparison.Ordinal);

        // Anyone holding the file checks it without signing in; a receipt with a wider scope written in is refused.
        using var stranger = new PortalSession(Platform.Address);
        var genuine = await stranger.SubmitAsync("/verify/receipt", new Dictionary<string, string> { ["Text"] = receiptJson });
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        var checkedPage = await genuine.Content.ReadAsStringAsync();
        Assert.Contains("回执有效", checkedPage, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"subject\">{receipt.Subject}</dd>", checkedPage, StringComparison.Ordinal);
        // A receipt signed before receipts named the person still checks: its signed bytes have no such field at all.
        var unnamed = receipt with { Subject = null };
        Assert.DoesNotContain("\"subject\"", System.Text.Encoding.UTF8.GetString(AuthorisationService.ReceiptBytes(unnamed)), StringComparison.Ordinal);
        unnamed = unnamed with { Signature = Platform.Services.GetRequiredService<CheckpointKeys>().Signer!.Sign(AuthorisationService.ReceiptBytes(unnamed)).ToString() };
        Assert.True(Platform.Services.GetRequiredService<AuthorisationService>().IsGenuine(unnamed));
        Assert.False(Platform.Services.GetRequiredService<AuthorisationService>().IsGenuine(unnamed with { Subject = receipt.Subject }));
        var widened = JsonSerializer.Serialize(receipt with { Categories = ["administrative", "judicial"] }, ReportService.Json);
        var forged = await stranger.SubmitAsync("/verify/receipt", new Dictionary<string, string> { ["Text"] = widened });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.Contains("回执无效", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var garbage = await stranger.SubmitAsync("/verify/receipt", new Dictionary<string, string> { ["Text"] = "not a receipt" });
        Assert.Contains("不是授权回执的签名文件", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        object Request() => new { subject = new { idType = "resident-id", idNumber = number, name }, purpose = "信用卡审批", authorizationId = id };
        var issued = await client.PostAsJsonAsync("/api/v1/reports", Request());
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var reportNo = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportNo").GetString();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/reports/{reportNo}")).StatusCode);

        var looked = await (await session.GetAsync("/Me/Queries")).Content.ReadAsStringAsync();
        Assert.Contains("湘江银行", looked, StringComparison.Ordinal);
        // Each query to the second, Beijing time, so two alike a minute apart are told apart.
        Assert.Matches(@"<time datetime=""[^""]+"">\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}</time>", looked);
        // The bank read one report twice: the person is told it is the same report, not a second query.
        Assert.Single(Regex.Matches(looked, $"出具信用报告 {reportNo}"));
        Assert.Single(Regex.Matches(looked, $"再次读取已出具的信用报告 {reportNo}"));
        // The basis in words: the authorisation by its whole number, as its receipt writes it, and a way to that receipt.
        Assert.Contains($"本人在线授权（授权编号 {id}）", looked, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Me/Authorisation/{id}\"", looked, StringComparison.Ordinal);

        // Revoking is asked for on the receipt's page, which says first what it does.
        Assert.Contains("撤销立即生效：湘江银行将不能再以此授权查询", await (await session.GetAsync($"/Me/Authorisation/{id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var revoked = await session.SubmitAsync($"/Me/Authorisation/{id}", new Dictionary<string, string>(), $"/Me/Authorisations?handler=Revoke&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/reports", Request())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/v1/reports/{reportNo}")).StatusCode);
        var afterRevoking = await (await session.GetAsync("/Me/Queries")).Content.ReadAsStringAsync();
        Assert.Contains("已拒绝：授权已撤销", afterRevoking, StringComparison.Ordinal);
        // The refused attempt to read the report again is said to be one, not a read.
        Assert.Single(Regex.Matches(afterRevoking, $"要求再次读取已出具的信用报告 {reportNo}，已拒绝"));
        Assert.Single(Regex.Matches(afterRevoking, $"再次读取已出具的信用报告 {reportNo}<"));
    }

    [Fact]
    public async Task AWrittenAuthorisationRegisteredBeforeThePlatformKnewThePersonIsTheirsToSeeAndRevoke()
    {
        using var session = await CitizenAsync();
        var (number, name) = await CitizenIdentityAsync();
        var bank = await Platform.AddOrganisationAsync("星沙银行", "bank", uses: false);
        var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(bank.Code, ApiScopes.Reports), ApiScopes.Reports);
        var registered = await client.PostAsJsonAsync("/api/v1/authorizations", new
        {
            subject = new { idType = "resident-id", idNumber = number, name },
            purpose = "个人消费贷款审批",
            categories = new[] { "administrative" },
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            evidence = new { fileName = "授权书.pdf", contentBase64 = Convert.ToBase64String(TestEvidence.SignedAuthorisationPdf()) },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationId").GetGuid();
        // As it is kept when the person had no record yet: by their index, without a subject.
        await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Authorisations.Where(a => a.Id == id).ExecuteUpdateAsync(a => a.SetProperty(x => x.SubjectId, (Guid?)null)));

        Assert.Contains($"/Me/Authorisation/{id}", await (await session.GetAsync("/Me/Authorisations")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("这项授权由星沙银行登记", await (await session.GetAsync($"/Me/Authorisation/{id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/Me/Authorisation/{id}?handler=Evidence")).StatusCode);
        var receipt = JsonSerializer.Deserialize<ConsentReceipt>(await (await session.GetAsync($"/Me/Authorisations?handler=Receipt&id={id}")).Content.ReadAsStringAsync(), ReportService.Json)!;
        Assert.StartsWith($"{number[..6]}********{number[^4..]}", receipt.Subject, StringComparison.Ordinal);

        var revoked = await session.SubmitAsync($"/Me/Authorisation/{id}", new Dictionary<string, string>(), $"/Me/Authorisations?handler=Revoke&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/reports",
            new { subject = new { idType = "resident-id", idNumber = number, name }, purpose = "个人消费贷款审批", authorizationId = id })).StatusCode);
        // Revoking it made it the person's: it is kept with them from now on.
        Assert.NotNull(await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.Id == id).Select(a => a.SubjectId).SingleAsync()));
    }

    [Fact]
    public async Task AWrittenAuthorisationShowsThePersonItsEvidenceAndCanBeDeniedWhenRevoked()
    {
        using var session = await CitizenAsync();
        var (number, name) = await CitizenIdentityAsync();
        var bank = await Platform.AddOrganisationAsync("潇湘银行", "bank", uses: false);
        var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(bank.Code, ApiScopes.Reports), ApiScopes.Reports);
        var evidence = TestEvidence.SignedAuthorisationPdf();
        var registered = await client.PostAsJsonAsync("/api/v1/authorizations", new
        {
            subject = new { idType = "resident-id", idNumber = number, name },
            purpose = "个人经营贷款审批",
            categories = new[] { "administrative" },
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            // Named as a scan often is: the person's name and number, which nothing the platform shows or signs may repeat.
            evidence = new { fileName = $"{name}_{number}_授权书.PDF", contentBase64 = Convert.ToBase64String(evidence) },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationId").GetGuid();
        Assert.Equal("书面授权书.pdf", await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.Id == id).Select(a => a.EvidenceFileName).SingleAsync()));

        // The receipt says who registered it and on what, and gives the person the very file.
        var receiptPage = await (await session.GetAsync($"/Me/Authorisation/{id}")).Content.ReadAsStringAsync();
        Assert.Contains("这项授权由潇湘银行登记", receiptPage, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(evidence)), receiptPage, StringComparison.Ordinal);
        var file = await session.GetAsync($"/Me/Authorisation/{id}?handler=Evidence");
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(evidence, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("书面授权书.pdf", file.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.DoesNotContain(number, receiptPage, StringComparison.Ordinal);
        // The signed receipt names the evidence by its type and digest.
        var receiptJson = await (await session.GetAsync($"/Me/Authorisations?handler=Receipt&id={id}")).Content.ReadAsStringAsync();
        var receipt = JsonSerializer.Deserialize<ConsentReceipt>(receiptJson, ReportService.Json)!;
        Assert.Equal("书面授权书.pdf", receipt.EvidenceFileName);
        Assert.DoesNotContain(number, receiptJson, StringComparison.Ordinal);
        Assert.DoesNotContain(name, receiptJson, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(evidence)), receipt.EvidenceSha256);
        Assert.True(Platform.Services.GetRequiredService<AuthorisationService>().IsGenuine(receipt));
        // Whoever checks the receipt is told it is a written one the bank registered, and the digest of the file it was registered on.
        using (var stranger = new PortalSession(Platform.Address))
        {
            var checkedPage = await (await stranger.SubmitAsync("/verify/receipt", new Dictionary<string, string> { ["Text"] = receiptJson })).Content.ReadAsStringAsync();
            Assert.Contains("回执有效", checkedPage, StringComparison.Ordinal);
            Assert.Contains("<dd id=\"channel\">书面授权</dd>", checkedPage, StringComparison.Ordinal);
            Assert.Contains("登记时间", checkedPage, StringComparison.Ordinal);
            Assert.Contains(receipt.EvidenceSha256!, checkedPage, StringComparison.Ordinal);
            // Only the digest of the file, no name of it.
            Assert.DoesNotContain("授权书.pdf", Regex.Match(checkedPage, "<section[^>]*>.*</section>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
        }
        // The bank's query on it says whose act the authorisation is: paper the bank registered, not a grant made in the portal.
        var reportNo = (await (await client.PostAsJsonAsync("/api/v1/reports", new { subject = new { idType = "resident-id", idNumber = number, name }, purpose = "个人经营贷款审批", authorizationId = id }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reportNo").GetString();
        Assert.NotNull(reportNo);
        var looked = await (await session.GetAsync("/Me/Queries")).Content.ReadAsStringAsync();
        Assert.Contains($"本人书面授权（授权编号 {id}，由查询机构登记）", looked, StringComparison.Ordinal);
        // So does the query history of the person's own report, as its PDF prints it.
        var ownNo = ReportNo().Match(await (await session.FollowAsync(await session.SubmitAsync("/Me/Report", new Dictionary<string, string>()))).Content.ReadAsStringAsync()).Groups[1].Value;
        var printed = await Platform.WithScopeAsync(async s =>
        {
            var content = (await s.GetRequiredService<ReportService>().FindAsync(ownNo, (await s.GetRequiredService<ChengxinDb>().Reports.SingleAsync(r => r.ReportNo == ownNo)).SubjectId, null,
                CancellationToken.None))!.Value.Content;
            Assert.Equal("written", content.Queries.Single(q => q.Basis == $"authorisation:{id:N}").AuthorisationChannel);
            return await s.GetRequiredService<ReportDocument>().RenderHtmlAsync(content, "http://localhost/verify/x", null, CancellationToken.None);
        });
        Assert.Contains($"本人书面授权（授权编号 {id}，由查询机构登记）<br>出具信用报告 {reportNo}", printed, StringComparison.Ordinal);

        // "I never signed this": revoked at once, and on record as the person's denial.
        var revoked = await session.SubmitAsync($"/Me/Authorisation/{id}", new Dictionary<string, string> { ["notSigned"] = "true" }, $"/Me/Authorisations?handler=Revoke&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var actions = await SecurityFixtures.DbAsync(Platform, db => db.AuditEntries.Where(e => e.Target == $"authorisation:{id:N}").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.Equal(["authorisation.register", "authorisation.dispute"], actions);
        // The credit office is alerted to the querier that registered it.
        var alert = await SecurityFixtures.DbAsync(Platform, db => db.SecurityAlerts.SingleAsync(a => a.Kind == "authorisation-disputed" && a.Detail.Contains(id.ToString())));
        Assert.StartsWith("organisation:", alert.Actor, StringComparison.Ordinal);
        Assert.Contains("潇湘银行", alert.Detail, StringComparison.Ordinal);
        Assert.Null(alert.AcknowledgedAt);
        using var office = await PortalSession.DemoAsync(Platform.Address, Roles.CreditOffice);
        Assert.Contains("本人否认签署的书面授权", await (await office.GetAsync("/Office")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await office.SubmitAsync("/Office", new Dictionary<string, string>(), $"/Office?handler=Acknowledge&id={alert.Id}")).StatusCode);
        Assert.NotNull(await SecurityFixtures.DbAsync(Platform, db => db.SecurityAlerts.Where(a => a.Id == alert.Id).Select(a => a.AcknowledgedAt).SingleAsync()));
        Assert.DoesNotContain(alert.Id.ToString(), await (await office.GetAsync("/Office")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("alert.acknowledge", await SecurityFixtures.DbAsync(Platform, db => db.AuditEntries.Where(e => e.Target == $"alert:{alert.Id:N}").Select(e => e.Action).ToListAsync()));
        var report = await client.PostAsJsonAsync("/api/v1/reports", new { subject = new { idType = "resident-id", idNumber = number, name }, purpose = "个人经营贷款审批", authorizationId = id });
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
    }

    [Fact]
    public async Task APersonNamesTheQuerierByItsNameAndIsToldWhatGrantingAndRevokingDid()
    {
        using var session = await CitizenAsync();
        var bank = await Platform.AddOrganisationAsync("麓山农村商业银行", "bank", uses: false);
        var validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Dictionary<string, string> Form(string querier) => new()
        {
            ["Grant.QuerierCode"] = querier,
            ["Grant.Purpose"] = "助学贷款审批",
            ["Grant.Categories"] = "administrative",
            ["Grant.ValidUntil"] = validUntil,
        };

        // The form suggests registered banks by name.
        Assert.Contains($"<option value=\"{bank.Code}\">麓山农村商业银行</option>", await (await session.GetAsync("/Me/Authorisations")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A code with a wrong check character is said to be one, not "not registered".
        var wrongCheck = bank.Code[..17] + (bank.Code[17] == '0' ? '1' : '0');
        var refused = await (await session.SubmitAsync("/Me/Authorisations", Form(wrongCheck), "/Me/Authorisations?handler=Grant")).Content.ReadAsStringAsync();
        Assert.Contains("这不是有效的统一社会信用代码", refused, StringComparison.Ordinal);

        var granted = await session.SubmitAsync("/Me/Authorisations", Form("麓山农村商业银行"), "/Me/Authorisations?handler=Grant");
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var list = await (await session.FollowAsync(granted)).Content.ReadAsStringAsync();
        Assert.Contains($"已授权麓山农村商业银行以“助学贷款审批”为目的查询，有效期至 {validUntil}", list, StringComparison.Ordinal);
        var id = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.Where(a => a.QuerierId == bank.Id).Select(a => a.Id).SingleAsync());

        var revoked = await session.SubmitAsync($"/Me/Authorisation/{id}", new Dictionary<string, string>(), $"/Me/Authorisations?handler=Revoke&id={id}");
        var after = await (await session.FollowAsync(revoked)).Content.ReadAsStringAsync();
        Assert.Contains("已撤销对麓山农村商业银行的授权，立即生效", after, StringComparison.Ordinal);
        // Said once: the next visit is the plain list.
        Assert.DoesNotContain("已撤销对麓山农村商业银行的授权", await (await session.GetAsync("/Me/Authorisations")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoLookedAtMeNamesThePlatformsOwnPurposesInWords()
    {
        using var session = await CitizenAsync();
        var (number, name) = await CitizenIdentityAsync();
        var (provider, _, _) = await SecurityFixtures.PushAsync(Platform);
        var sourceId = "OWN-" + Guid.NewGuid().ToString("N")[..12];
        var record = JsonSerializer.SerializeToNode(SecurityFixtures.Penalty(sourceId, number))!;
        record["subject"]!["name"] = name;
        (await provider.PostAsJsonAsync("/api/v1/records", new { records = new[] { record } })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/records/{sourceId}")).StatusCode);

        var looked = await (await session.GetAsync("/Me/Queries")).Content.ReadAsStringAsync();
        Assert.Contains("报送单位查看本单位报送的记录", looked, StringComparison.Ordinal);
        Assert.DoesNotContain("provider-own-record", looked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOwnReportIsIssuedDownloadedAndVerified()
    {
        using var session = await CitizenAsync();

        var issued = await session.SubmitAsync("/Me/Report", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var page = await (await session.FollowAsync(issued)).Content.ReadAsStringAsync();
        var reportNo = ReportNo().Match(page).Groups[1].Value;
        var code = Code().Match(page).Groups[1].Value;
        Assert.NotEmpty(reportNo);

        var pdf = await session.GetAsync($"/Me/Report?handler=Pdf&no={reportNo}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Concat(document.GetPages().Select(p => p.Text)).Normalize(System.Text.NormalizationForm.FormKC);
        Assert.Contains("本人版", text, StringComparison.Ordinal);
        Assert.Contains(code, text, StringComparison.Ordinal);
        // Printed and handed on, the own report shows the number masked, as every display does.
        var (number, _) = await CitizenIdentityAsync();
        Assert.DoesNotContain(number, text, StringComparison.Ordinal);
        Assert.Contains($"{number[..6]}********{number[^4..]}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(number, await (await session.GetAsync("/Me")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var verified = await Platform.Http.GetStringAsync($"/verify/{code}");
        Assert.Contains(reportNo, verified, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"edition\">本人版", verified, StringComparison.Ordinal);
        // Left and come back to: the report page lists it to open again.
        Assert.Contains($"href=\"/Me/Report?no={reportNo}\"", await (await session.GetAsync("/Me/Report")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InEnglishTheReportPageNamesItemsAndProvidersInEnglish()
    {
        using var session = await CitizenAsync();
        var issued = await session.SubmitAsync("/Me/Report", new Dictionary<string, string>());
        var reportNo = ReportNo().Match(await (await session.FollowAsync(issued)).Content.ReadAsStringAsync()).Groups[1].Value;
        var record = await Platform.WithScopeAsync(async s =>
        {
            var row = await s.GetRequiredService<ChengxinDb>().Reports.SingleAsync(r => r.ReportNo == reportNo);
            return (await s.GetRequiredService<ReportService>().FindAsync(reportNo, row.SubjectId, null, CancellationToken.None))!.Value.Content.Records[0];
        });
        var english = await Platform.WithScopeAsync(async s => (await s.GetRequiredService<Chengxin.Catalog.CatalogStore>().FindAsync(record.CatalogItem))!.Item.Name.En);

        var page = await (await session.GetAsync($"/Me/Report?no={reportNo}&culture=en&ui-culture=en")).Content.ReadAsStringAsync();

        var providerEnglish = await Platform.WithScopeAsync(async s => (await s.GetRequiredService<Chengxin.Organisations.OrganisationDirectory>().AllAsync(CancellationToken.None))
            .First(o => o.Name == record.Provider).NameEn);
        Assert.Contains($"<td>{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(english)}</td>", page, StringComparison.Ordinal);
        Assert.Contains($"<td>{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(providerEnglish)}</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{record.ItemName}</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueryWhoseDisclosureIsDeferredIsHiddenFromThePersonUntilItsDate()
    {
        using var session = await CitizenAsync();
        var (number, name) = await CitizenIdentityAsync();
        async Task<HttpResponseMessage> ShareAsync(string department, string? disclosedFrom)
        {
            var organisation = await Platform.AddOrganisationAsync(department, "department", uses: true);
            var credentials = await Platform.AddClientAsync(organisation.Code, ApiScopes.Checks);
            var client = await Platform.SystemClientAsync(credentials, ApiScopes.Checks);
            return await client.PostAsJsonAsync("/api/v1/sharing", new
            {
                subject = new { idType = "resident-id", idNumber = number, name },
                purpose = "案件调查",
                legalBasis = "《行政处罚法》第五十五条",
                disclosedFrom,
            });
        }
        var later = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.OK, (await ShareAsync("延期告知调查局", later)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ShareAsync("即时告知审批局", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ShareAsync("无效日期局", today)).StatusCode);

        var looked = await (await session.GetAsync("/Me/Queries")).Content.ReadAsStringAsync();
        Assert.Contains("即时告知审批局", looked, StringComparison.Ordinal);
        Assert.DoesNotContain("延期告知调查局", looked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoLookedAtMeShowsEveryQueryAPageAtATime()
    {
        using var session = await CitizenAsync();
        var subjectId = await Platform.WithScopeAsync(async s =>
        {
            var email = DemoAccounts.All.Single(a => a.Role == Roles.Subject).Email;
            return (await s.GetRequiredService<ChengxinDb>().Users.SingleAsync(u => u.Email == email)).SubjectId!.Value;
        });
        var batch = Guid.NewGuid().ToString("N")[..6];
        string Purpose(int i) => $"翻页核查-{batch}-{i:D3}";
        const int count = Chengxin.Pages.Me.QueriesModel.PageSize + 5;
        await Platform.WithScopeAsync(async s =>
        {
            var queries = s.GetRequiredService<Chengxin.Audit.QueryLog>();
            for (var i = 1; i <= count; i++)
            {
                await queries.RegisterAsync(new Chengxin.Audit.QueryContext("test:paging", null, "api", Purpose(i), "legal:《测试依据》"),
                    [new Chengxin.Audit.SubjectRead(subjectId, [], 0)], CancellationToken.None);
            }
            // A deferred one is neither listed nor counted before its date.
            await queries.RegisterAsync(new Chengxin.Audit.QueryContext("test:paging", null, "api", Purpose(0), "legal:《测试依据》"),
                [new Chengxin.Audit.SubjectRead(subjectId, [], 0)], CancellationToken.None, disclosedFrom: DateTimeOffset.UtcNow.AddDays(30));
        });

        var first = await (await session.GetAsync("/Me/Queries")).Content.ReadAsStringAsync();
        var pages = int.Parse(PageCount().Match(first).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var all = new List<string> { first };
        for (var page = 2; page <= pages; page++)
        {
            all.Add(await (await session.GetAsync($"/Me/Queries?p={page}")).Content.ReadAsStringAsync());
        }

        Assert.Contains(Purpose(count), first, StringComparison.Ordinal);
        Assert.DoesNotContain(Purpose(1), first, StringComparison.Ordinal);
        Assert.Contains("?p=2", first, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(1, count), i => Assert.Single(all, html => html.Contains(Purpose(i), StringComparison.Ordinal)));
        Assert.DoesNotContain(all, html => html.Contains(Purpose(0), StringComparison.Ordinal));
        // The count is of what is listed: the deferred query is not counted either.
        var total = int.Parse(QueryCount().Match(first).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(total, all.Sum(html => Regex.Count(html, "<tr>") - 1));
    }

    [GeneratedRegex(@"第 \d+ 页 / 共 (\d+) 页")]
    private static partial Regex PageCount();

    [GeneratedRegex(@"共 (\d+) 次查询")]
    private static partial Regex QueryCount();

    [GeneratedRegex(@"/Me/Authorisation/([0-9a-f-]{36})")]
    private static partial Regex AuthorisationId();

    [GeneratedRegex("id=\"report-no\">([^<]+)<")]
    private static partial Regex ReportNo();

    [GeneratedRegex("id=\"verification-code\">([^<]+)<")]
    private static partial Regex Code();
}

public sealed class SubjectPortalOnSqlite(SqliteDemoPlatform fixture) : SubjectPortalTests<SqliteDemoPlatform>(fixture);

public sealed class SubjectPortalOnPostgres(PostgresDemoPlatform fixture) : SubjectPortalTests<PostgresDemoPlatform>(fixture);
