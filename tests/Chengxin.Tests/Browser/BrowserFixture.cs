using Chengxin.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Chengxin.Tests.Browser;

/// <summary>The platform with demo data, and Debian's chromium driven by Playwright; one of each per test class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private TestPlatform? _platform;

    public IBrowser Browser { get; private set; } = null!;

    public TestPlatform Platform => _platform!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("CHENGXIN_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"No chromium at {chromium}: run the tests with ./test.sh, which installs Debian's chromium.");
        }
        _platform = await TestPlatform.StartAsync("sqlite", demo: true);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            // As root chromium needs --no-sandbox; the rest keeps it off the network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, BaseURL = Platform.Address.ToString() });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}
