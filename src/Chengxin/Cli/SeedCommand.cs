using System.CommandLine;
using Chengxin.Seeding;

namespace Chengxin.Cli;

/// <summary><c>chengxin seed --subjects N --records M</c>: synthetic load-test data.</summary>
public static class SeedCommand
{
    public static Command Create()
    {
        var subjects = new Option<int>("--subjects") { Description = "How many synthetic people.", DefaultValueFactory = _ => 1_000_000 };
        var records = new Option<long>("--records") { Description = "How many records among them (about ten each by default).", DefaultValueFactory = _ => 10_000_000 };
        var seed = new Command("seed", "Fill a database of its own with synthetic people and records for load tests (refused where real people are stored).") { subjects, records };
        seed.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var (people, total) = (parse.GetValue(subjects), parse.GetValue(records));
            if (people < 1 || total < 0)
            {
                return PlatformCommand.Fail(["--subjects is at least 1 and --records at least 0."]);
            }
            var last = DateTime.UtcNow;
            var result = await services.GetRequiredService<SyntheticSeed>().RunAsync(people, total, (doneSubjects, doneRecords) =>
            {
                if ((DateTime.UtcNow - last).TotalSeconds >= 5 || doneSubjects == people)
                {
                    last = DateTime.UtcNow;
                    Console.WriteLine($"{doneSubjects:N0} / {people:N0} people, {doneRecords:N0} / {total:N0} records");
                }
            }, ct);
            Console.WriteLine($"Seeded {result.Subjects:N0} people and {result.Records:N0} records from {result.ProviderCode} in {result.Elapsed.TotalSeconds:N0} s.");
            return 0;
        }, cancellationToken));
        return seed;
    }
}
