using System.Net;
using System.Text.RegularExpressions;
using Chengxin.Accounts;
using Chengxin.Clients;
using Chengxin.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Chengxin.Tests.Security;

/// <summary>
/// Least privilege, checked from the running app: every route names its policy, and every role and
/// scope is tried against every route; a route answering someone its policy does not name fails the test.
/// </summary>
public abstract partial class RouteMatrixTests<TPlatform>(TPlatform fixture) : IClassFixture<TPlatform>
    where TPlatform : PlatformFixture
{
    private TestPlatform Platform => fixture.Platform;

    /// <summary>Every routed endpoint with its method, pattern and the policy it names ("anonymous" when it allows everyone).</summary>
    private List<(string Method, string Pattern, string? Policy)> Routes()
    {
        var endpoints = Platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return [.. endpoints.SelectMany(e =>
        {
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            string? policy = e.Metadata.GetMetadata<IAllowAnonymous>() is not null ? "anonymous"
                : e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? (a.Roles is { } roles ? "roles:" + roles : "authenticated")).LastOrDefault();
            return methods.Select(m => (m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), policy));
        })];
    }

    [Fact]
    public void EveryRouteNamesItsPolicy()
    {
        var routes = Routes();
        var unguarded = routes.Where(r => r.Policy is null || r.Policy is "authenticated").Select(r => $"{r.Method} {r.Pattern}").ToList();

        Assert.True(routes.Count > 20, $"only {routes.Count} routes found");
        Assert.Empty(unguarded);
    }

    [Fact]
    public async Task NoRouteAnswersARoleOrScopeItsPolicyDoesNotName()
    {
        var callers = await CallersAsync();
        var failures = new List<string>();
        foreach (var (method, pattern, policy) in Routes().Where(r => r.Policy is not "anonymous").Distinct())
        {
            var path = Parameter().Replace(pattern, AnyParameter);
            foreach (var (name, http) in callers)
            {
                if (name == policy)
                {
                    continue;
                }
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method != "GET")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
                var response = await http.SendAsync(request);
                if (!Refused(response))
                {
                    failures.Add($"{method} {path} (policy {policy}) answered {name} with {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AnotherOrganisationsRecordIsNotFoundNotForbiddenAndCannotBeRevoked()
    {
        var (_, numbers, _) = await SecurityFixtures.PushAsync(Platform, 1);
        var (intruder, _, _) = await SecurityFixtures.PushAsync(Platform, 1);
        var sourceId = $"{SecurityFixtures.SourceId(numbers[0])}";

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/api/v1/records/{sourceId}")).StatusCode);
        var revoke = await intruder.PostAsync("/api/v1/records/revocations",
            new StringContent($"{{\"sourceId\":\"{sourceId}\",\"reason\":\"not mine\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
    }

    private static bool Refused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } to
            && (to.Contains("/Account/SignIn", StringComparison.Ordinal) || to.Contains("/Account/Denied", StringComparison.Ordinal)));

    /// <summary>Anonymous, each portal role signed in, and a system token for each scope, named as the policy that admits them.</summary>
    private async Task<List<(string Name, HttpClient Http)>> CallersAsync()
    {
        var callers = new List<(string, HttpClient)> { ("nobody", Client(null)) };
        foreach (var account in DemoAccounts.All)
        {
            var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            var http = new HttpClient(handler) { BaseAddress = Platform.Address };
            await SignInAsync(http, account);
            callers.Add(("portal:" + account.Role, http));
        }
        var department = await Platform.AddOrganisationAsync("全能部门", "department", uses: true, "admin-penalty");
        var credentials = await Platform.AddClientAsync(department.Code, [.. ApiScopes.All]);
        foreach (var scope in ApiScopes.All)
        {
            // Redirects are not followed: a portal page must refuse a token, not send it to a sign-in page that answers 200.
            var token = await Platform.RequestTokenAsync(credentials.ClientId, credentials.ClientSecret, scope);
            var access = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
            callers.Add((ApiScopes.PolicyFor(scope), Client(access)));
        }
        return callers;
    }

    private HttpClient Client(string? bearer)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Platform.Address };
        if (bearer is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }
        return http;
    }

    private static async Task SignInAsync(HttpClient http, DemoAccount account)
    {
        await PostFormAsync(http, "/Account/SignIn", new() { ["Email"] = account.Email, ["Password"] = account.Password });
        var done = await PostFormAsync(http, "/Account/TwoFactor", new() { ["Code"] = new Totp(Base32Encoding.ToBytes(account.AuthenticatorKey)).ComputeTotp(DateTime.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string page, Dictionary<string, string> fields)
    {
        var html = await http.GetStringAsync(page);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
        return await http.PostAsync(page, new FormUrlEncodedContent(fields));
    }

    // One value for every route parameter: a GUID is also a plain segment, so constrained ({id:guid}) and unconstrained routes are reached, not missed as 404.
    private const string AnyParameter = "00000000-0000-0000-0000-00000000a001";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

public sealed class RouteMatrixOnSqlite(SqliteDemoPlatform fixture) : RouteMatrixTests<SqliteDemoPlatform>(fixture);

public sealed class RouteMatrixOnPostgres(PostgresDemoPlatform fixture) : RouteMatrixTests<PostgresDemoPlatform>(fixture);
