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
