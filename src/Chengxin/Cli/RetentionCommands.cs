using System.CommandLine;
using Chengxin.Archive;
using Chengxin.Audit;

namespace Chengxin.Cli;

/// <summary><c>chengxin retention purge</c>: what the daily job does, now.</summary>
public static class RetentionCommands
{
    public static Command Create()
    {
        var purge = new Command("purge", "Delete query registrations past ten years and records past their retention now, each with an audit entry (the platform also does it daily).");
        purge.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var registrations = await services.GetRequiredService<Retention>().PurgeAsync(Actors.System("cli"), ct);
            var records = await services.GetRequiredService<RecordPurge>().PurgeAsync(Actors.System("cli"), ct);
            Console.WriteLine($"Deleted {records} records past their retention and {registrations} query registrations past {Retention.QueryRegistrationYears} years.");
            return 0;
        }, cancellationToken));
        return new Command("retention", "Deleting what is kept no longer than the law allows.") { purge };
    }
}
