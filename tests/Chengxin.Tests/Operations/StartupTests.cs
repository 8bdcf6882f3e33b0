using System.Net;
using Chengxin.Cli;
using Chengxin.Hosting;
using Chengxin.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Chengxin.Tests.Operations;

/// <summary>A wrong configuration stops the start with one readable line per problem.</summary>
public sealed class StartupTests
{
    private static StartupException Refused(params (string Key, string? Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("chengxin-startup-").FullName;
        var exception = Assert.Throws<StartupException>(() => PlatformHost.Build(
            ["--environment", "Production", "--contentRoot", folder],
            b => b.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))));
        Directory.Delete(folder, recursive: true);
        return exception;
    }

    /// <summary>README's command passes <c>--contentRoot src/Chengxin</c> from the repository: relative to where it is typed, not to the binary.</summary>
    [Fact]
    public void ARelativeContentRootIsTakenFromTheCurrentFolder()
    {
        var expected = Path.Combine(Directory.GetCurrentDirectory(), "src", "Chengxin");
        Assert.Equal(["accounts", "--contentRoot", expected], PlatformHost.WithAbsoluteContentRoot(["accounts", "--contentRoot", Path.Combine("src", "Chengxin")]));
        Assert.Equal(["--contentRoot=" + expected], PlatformHost.WithAbsoluteContentRoot(["--contentRoot=" + Path.Combine("src", "Chengxin")]));
        Assert.Equal(["--contentRoot", "/srv/chengxin"], PlatformHost.WithAbsoluteContentRoot(["--contentRoot", "/srv/chengxin"]));
    }

    [Fact]
    public void ProductionWithoutKeysStopsWithOneLinePerMissingKey()
    {
        var exception = Refused();
        Assert.Contains(exception.Problems, p => p.StartsWith("Keys:Current", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("Keys:Index", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("Keys:TokenSigning", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.Contains("ASPNETCORE_ENVIRONMENT=Development", StringComparison.Ordinal));
        Assert.All(exception.Problems, p => Assert.DoesNotContain('\n', p));
        Assert.Equal(exception.Problems.Count, PlatformCommand.Explain(exception)!.Count);
    }

    [Fact]
    public void AnUnknownDatabaseProviderIsNamed()
    {
        var exception = Refused([.. TestPlatform.TestKeys().Select(k => (k.Key, k.Value)), ("Database:Provider", "mysql")]);
        var problem = Assert.Single(exception.Problems);
        Assert.Contains("'mysql'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresWithoutAConnectionStringIsNamed()
    {
        var exception = Refused([.. TestPlatform.TestKeys().Select(k => (k.Key, k.Value)), ("Database:Provider", "postgres")]);
        Assert.StartsWith("Database:ConnectionString", Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedKeyIsNamed()
    {
        var settings = TestPlatform.TestKeys().Select(k => (k.Key, k.Key == "Keys:Index" ? "not base64!" : k.Value)).ToArray();
        Assert.StartsWith("Keys:Index", Assert.Single(Refused(settings).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAnswers503WhenTheDatabaseDoesNot()
    {
        var folder = Directory.CreateTempSubdirectory("chengxin-health-").FullName;
        var settings = TestPlatform.TestKeys().ToDictionary(k => k.Key, k => k.Value);
        settings["Database:Provider"] = "postgres";
        settings["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2";
        settings["Logging:LogLevel:Default"] = "None";
        await using var app = PlatformHost.Build(["--environment", "Testing", "--contentRoot", folder, "--urls", "http://127.0.0.1:0"],
            b => b.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var address = app.Urls.First();
        using var http = new HttpClient();
        var response = await http.GetAsync(address + "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await app.StopAsync();
    }
}
