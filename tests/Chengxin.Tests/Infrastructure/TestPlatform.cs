using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Hosting;
using Chengxin.Organisations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chengxin.Tests.Infrastructure;

/// <summary>The whole platform on a real Kestrel server on a loopback port, with its own database and keys.</summary>
public sealed class TestPlatform : IAsyncDisposable
{
    private readonly string _folder;
    private readonly TestDatabase _database;

    private TestPlatform(WebApplication app, TestDatabase database, string folder, Uri address, LogCapture logs)
    {
        Logs = logs;
        App = app;
        _database = database;
        _folder = folder;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    /// <summary>Every log line this platform wrote.</summary>
    public LogCapture Logs { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public string Provider => _database.Provider;

    public IServiceProvider Services => App.Services;

    public static async Task<TestPlatform> StartAsync(string provider, bool demo = false, IDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("chengxin-test-").FullName;
        var database = await TestDatabase.CreateAsync(provider, folder);
        var logs = new LogCapture();
        var app = PlatformHost.Build(
            ["--environment", "Testing", "--contentRoot", folder, "--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(Settings(database, settings));
                builder.Logging.AddProvider(logs);
                builder.Logging.AddFilter<LogCapture>(null, LogLevel.Information);
            });
        await PlatformHost.PrepareAsync(app, demo);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestPlatform(app, database, folder, new Uri(address), logs);
    }

    /// <summary>Configuration a test platform runs with: its database, fresh keys, plain HTTP on loopback.</summary>
    public static Dictionary<string, string?> Settings(TestDatabase database, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Tokens:RequireHttps"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Tests make requests faster than any person; the rate-limit tests set their own limits.
            ["RateLimits:PerClientPerMinute"] = "1000000",
            ["RateLimits:PerUserPerMinute"] = "1000000",
            ["RateLimits:PerAddressPerMinute"] = "1000000",
            // Counted on each node: the rate-limit tests turn the shared counters on.
            ["RateLimits:Shared"] = "false",
        };
        foreach (var (key, value) in TestKeys())
        {
            settings[key] = value;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public static IEnumerable<KeyValuePair<string, string?>> TestKeys()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { Keys = KeysOptions.Generate() });
        return new ConfigurationBuilder().AddJsonStream(new MemoryStream(json)).Build().AsEnumerable().Where(p => p.Value is not null);
    }

    /// <summary>
    /// Another instance of the platform over the same database, not serving, with configuration changed
    /// (new keys, say): what a second node or an administrator's command line sees.
    /// </summary>
    public WebApplication Sibling(IDictionary<string, string?> changes)
    {
        var settings = App.Configuration.AsEnumerable().Where(p => p.Key.StartsWith("Keys:", StringComparison.Ordinal) && p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value);
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }
        return PlatformHost.Build(["--environment", "Testing", "--contentRoot", _folder],
            builder => builder.Configuration.AddInMemoryCollection(Settings(_database, settings)));
    }

    /// <summary>A staff account with this role and an enrolled authenticator: its e-mail, password and authenticator key.</summary>
    public Task<(string Email, string Password, string AuthenticatorKey)> AddStaffAsync(string role) => WithScopeAsync(async services =>
    {
        var email = $"staff-{Guid.NewGuid():N}@example.gov.cn";
        const string password = "湘江北去 橘子洲头 2026";
        var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Chengxin.Data.PortalUser>>();
        var user = new Chengxin.Data.PortalUser { UserName = email, Email = email, DisplayName = role, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }
        await users.AddToRoleAsync(user, role);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (email, password, (await users.GetAuthenticatorKeyAsync(user))!);
    });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider);
    }

    /// <summary>Registers a department with a fresh valid code that provides the given items.</summary>
    public Task<OrganisationView> AddOrganisationAsync(string name, params string[] provides) =>
        AddOrganisationAsync(name, "department", uses: false, provides);

    /// <summary>Registers an organisation of any kind with a fresh valid code.</summary>
    public Task<OrganisationView> AddOrganisationAsync(string name, string kind, bool uses, params string[] provides) =>
        WithScopeAsync(async services =>
        {
            var (organisation, problems) = await services.GetRequiredService<OrganisationService>()
                .RegisterAsync(new OrganisationRegistration(TestCodes.NewCreditCode(), name, null, kind, provides, uses), CancellationToken.None);
            return organisation ?? throw new InvalidOperationException(string.Join("; ", problems));
        });

    public Task<ClientCredentials> AddClientAsync(string organisationCode, params string[] scopes) =>
        WithScopeAsync(async services =>
        {
            var (credentials, problems) = await services.GetRequiredService<ClientService>().AddAsync("test system", organisationCode, scopes, CancellationToken.None);
            return credentials ?? throw new InvalidOperationException(string.Join("; ", problems));
        });

    public Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string? scope) =>
        Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope ?? "",
        }));

    /// <summary>A client authenticated with a bearer token for the given scope.</summary>
    public async Task<HttpClient> SystemClientAsync(ClientCredentials credentials, string scope)
    {
        var response = await RequestTokenAsync(credentials.ClientId, credentials.ClientSecret, scope);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        // Every test platform's logs are searched when it stops: an identity number in any line fails the run.
        var leaked = Logs.LinesWithIdentityNumbers();
        await App.DisposeAsync();
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the OS's temporary-folder cleaning.
        }
        if (leaked.Count > 0)
        {
            throw new InvalidOperationException($"{leaked.Count} log lines hold an identity number, e.g.: {leaked[0]}");
        }
    }
}
