using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Tests.Infrastructure;

namespace Chengxin.Tests.Operations;

public abstract class OperationsTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    [Fact]
    public async Task HealthAnswers200WhenTheDatabaseAnswers()
    {
        var response = await Platform.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownApiRouteIsProblemDetails()
    {
        var response = await Platform.Http.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AnUnknownPortalPageIsTheErrorPageNotAStackTrace()
    {
        var response = await Platform.Http.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAnswerCarriesTheSecurityHeaders()
    {
        foreach (var path in new[] { "/", "/api/v1/catalog", "/health", "/Account/SignIn" })
        {
            var response = await Platform.Http.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheExchangeRoutes()
    {
        var document = await Platform.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/catalog", out _));
        Assert.True(paths.TryGetProperty("/api/v1/records/{sourceId}", out _));
    }

    [Fact]
    public async Task TheOpenApiDocumentGivesTheReportsAnswersAndWhatIsOptional()
    {
        var document = await Platform.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var issue = document.GetProperty("paths").GetProperty("/api/v1/reports").GetProperty("post").GetProperty("responses");
        Assert.Equal(["201", "400", "403"], issue.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        var request = document.GetProperty("components").GetProperty("schemas").GetProperty("ReportRequest");
        var required = request.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToList() : [];
        Assert.DoesNotContain("categories", required);
    }

    [Fact]
    public async Task TheApiReferenceIsServed()
    {
        var response = await Platform.Http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsAreExposedForScraping()
    {
        await Platform.Http.GetAsync("/health");
        var metrics = await Platform.Http.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegisteredReadsWaitForItsCommitIsMeasured()
    {
        var (client, numbers, _) = await SecurityFixtures.PushAsync(Platform, 1);
        (await client.GetAsync($"/api/v1/records/{SecurityFixtures.SourceId(numbers[0])}")).EnsureSuccessStatusCode();
        // The exporter may answer from its cache of a scrape just before.
        var metrics = "";
        for (var attempt = 0; attempt < 20 && !metrics.Contains("chengxin_registration_wait_seconds_count", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            metrics = await Platform.Http.GetStringAsync("/metrics");
        }
        Assert.Contains("chengxin_registration_wait_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("chengxin_registration_batch_size", metrics, StringComparison.Ordinal);
    }
}

public sealed class OperationsOnSqlite(SqlitePlatform fixture) : OperationsTests<SqlitePlatform>(fixture);

public sealed class OperationsOnPostgres(PostgresPlatform fixture) : OperationsTests<PostgresPlatform>(fixture);
