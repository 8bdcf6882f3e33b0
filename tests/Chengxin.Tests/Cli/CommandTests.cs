using Chengxin.Cli;

namespace Chengxin.Tests.Cli;

/// <summary>The command line as an operator meets it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommandTests
{
    /// <summary>The arguments that point a verb at this platform's database with its keys, as an operator would.</summary>
    internal static string[] Against(Infrastructure.TestPlatform platform, params string[] verb)
    {
        var settings = Microsoft.Extensions.Configuration.ConfigurationExtensions.AsEnumerable(platform.App.Configuration)
            .Where(p => p.Value is not null && (p.Key.StartsWith("Keys:", StringComparison.Ordinal) || p.Key.StartsWith("Database:", StringComparison.Ordinal)))
            .Select(p => $"--{p.Key}={p.Value}");
        return [.. verb, "--environment", "Testing", .. settings];
    }

    internal static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await Commands.Build().Parse(args).InvokeAsync();
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    [Fact]
    public async Task IdCheckAcceptsAValidResidentIdWithExitZero()
    {
        var (exit, output, _) = await RunAsync("id", "check", "11010519491231002x");
        Assert.Equal(0, exit);
        Assert.Contains("11010519491231002X", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdCheckSaysExactlyWhyANumberIsInvalid()
    {
        var (exit, output, _) = await RunAsync("id", "check", "110105194912310021");
        Assert.Equal(1, exit);
        Assert.Contains("checksum", output, StringComparison.Ordinal);
        Assert.Contains("X", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdCheckKnowsCreditCodes()
    {
        Assert.Equal(0, (await RunAsync("id", "check", "91350100M000100Y43")).Exit);
        var (exit, output, _) = await RunAsync("id", "check", "91350100M000100Y4I");
        Assert.Equal(1, exit);
        Assert.Contains("characters", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownVerbListsTheVerbs()
    {
        var (exit, _, error) = await RunAsync("frobnicate");
        Assert.Equal(1, exit);
        foreach (var verb in new[] { "serve", "db", "id", "orgs", "clients", "accounts", "calendar", "audit", "keys" })
        {
            Assert.Contains(verb, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryVerbHasHelp()
    {
        foreach (var verb in new[] { "serve", "db", "id", "orgs", "clients", "accounts", "calendar", "audit", "keys" })
        {
            var (exit, output, _) = await RunAsync(verb, "--help");
            Assert.Equal(0, exit);
            Assert.Contains("Usage", output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task CalendarDueCountsOfficialWorkingDays()
    {
        // 2026-10-01..07 is the National Day holiday and Saturday 2026-10-10 is worked.
        var (exit, output, _) = await RunAsync("calendar", "due", "--from", "2026-09-30", "--working-days", "5");
        Assert.Equal(0, exit);
        Assert.Equal("2026-10-13", output.Trim());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
