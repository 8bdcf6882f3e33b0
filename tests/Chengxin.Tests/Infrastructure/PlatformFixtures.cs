namespace Chengxin.Tests.Infrastructure;

/// <summary>One running platform per test class and database; each test makes its own data in it.</summary>
public abstract class PlatformFixture(string provider, bool demo, IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private TestPlatform? _platform;

    public TestPlatform Platform => _platform ?? throw new InvalidOperationException("The platform has not started.");

    public async Task InitializeAsync() => _platform = await TestPlatform.StartAsync(provider, demo, settings);

    public async Task DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}

public sealed class SqlitePlatform() : PlatformFixture("sqlite", demo: false);

public sealed class PostgresPlatform() : PlatformFixture("postgres", demo: false);

public sealed class SqliteDemoPlatform() : PlatformFixture("sqlite", demo: true);

public sealed class PostgresDemoPlatform() : PlatformFixture("postgres", demo: true);

/// <summary>Webhooks polled and retried quickly, so delivery tests take seconds.</summary>
public static class FastWebhooks
{
    public static Dictionary<string, string?> Settings => new()
    {
        ["Webhooks:PollSeconds"] = "0.1",
        ["Webhooks:RetryBaseSeconds"] = "0.1",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:BatchSize"] = "2",
    };
}

public sealed class SqliteWebhookPlatform() : PlatformFixture("sqlite", demo: false, FastWebhooks.Settings);

public sealed class PostgresWebhookPlatform() : PlatformFixture("postgres", demo: false, FastWebhooks.Settings);
