using System.CommandLine;
using Chengxin.Accounts;
using Chengxin.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Chengxin.Cli;

/// <summary><c>chengxin [serve] [--demo] [--urls URL]</c>: runs the API and the portal.</summary>
public static class ServeCommand
{
    private static readonly Option<bool> Demo = new("--demo")
    {
        Description = "Load the synthetic demo data set (organisations, people, records, demo sign-ins). Never for production.",
    };

    public static void Configure(Command command)
    {
        command.Options.Add(Demo);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
    }

    public static Command Create()
    {
        var serve = new Command("serve", "Run the API and the portal (the default). ASP.NET Core options such as --urls pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        Configure(serve);
        return serve;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var unmatched = parse.UnmatchedTokens;
        if (unmatched.Count > 0 && !unmatched[0].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync($"chengxin: '{unmatched[0]}' is not a verb. The verbs are: {string.Join(", ", parse.RootCommandResult.Command.Subcommands.Select(c => c.Name))}. See chengxin --help.");
            return 1;
        }
        var demo = parse.GetValue(Demo);
        try
        {
            await using var app = PlatformHost.Build([.. unmatched]);
            await PlatformHost.PrepareAsync(app, demo, cancellationToken);
            await app.StartAsync(cancellationToken);
            PrintBanner(app, demo);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (Exception e) when (PlatformCommand.Explain(e) is { } lines)
        {
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync($"chengxin: {line}");
            }
            return 2;
        }
    }

    private static void PrintBanner(WebApplication app, bool demo)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine();
        Console.WriteLine($"Chengxin is running at {url}  (API reference: {url}/docs, health: {url}/health)");
        if (demo)
        {
            Console.WriteLine("Synthetic demo data is loaded. Demo sign-ins (password, then the 6-digit code from `chengxin accounts code EMAIL`):");
            foreach (var account in DemoAccounts.All)
            {
                Console.WriteLine($"  {account.Role,-18} {account.Email,-34} {account.Password}");
            }
        }
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
