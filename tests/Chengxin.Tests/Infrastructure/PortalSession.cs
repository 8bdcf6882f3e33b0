using System.Net;
using System.Text.RegularExpressions;

namespace Chengxin.Tests.Infrastructure;

/// <summary>A browser-like HTTP session: cookies kept, redirects visible, forms posted with their anti-forgery token.</summary>
public sealed partial class PortalSession : IDisposable
{
    private readonly HttpClient _http;

    public PortalSession(Uri address)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    /// <summary>A session signed in with password and the current TOTP code, as a person does it.</summary>
    public static async Task<PortalSession> SignedInAsync(Uri address, string email, string password, string authenticatorKey)
    {
        var session = new PortalSession(address);
        await session.SubmitAsync("/Account/SignIn", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        var done = await session.SubmitAsync("/Account/TwoFactor", new Dictionary<string, string>
        {
            ["Code"] = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(authenticatorKey)).ComputeTotp(DateTime.UtcNow),
        });
        if (done.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in {email} failed: {(int)done.StatusCode}.");
        }
        return session;
    }

    /// <summary>A session of the demo account with this role.</summary>
    public static Task<PortalSession> DemoAsync(Uri address, string role)
    {
        var account = Chengxin.Accounts.DemoAccounts.All.Single(a => a.Role == role);
        return SignedInAsync(address, account.Email, account.Password, account.AuthenticatorKey);
    }

    /// <summary>Opens the form's page, then posts the fields with the page's anti-forgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, IDictionary<string, string> fields, string? action = null)
    {
        var html = await _http.GetStringAsync(page);
        var token = Token().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{page} has no anti-forgery token.");
        }
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        return await _http.PostAsync(action ?? page, new FormUrlEncodedContent(form));
    }

    /// <summary>Follows one redirect, as a browser would.</summary>
    public Task<HttpResponseMessage> FollowAsync(HttpResponseMessage redirect) =>
        _http.GetAsync(redirect.Headers.Location ?? throw new InvalidOperationException("Not a redirect."));

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
