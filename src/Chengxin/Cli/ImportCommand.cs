using System.CommandLine;
using System.Globalization;
using System.Text;
using Chengxin.Imports;
using Chengxin.Organisations;

namespace Chengxin.Cli;

/// <summary><c>chengxin import FILE --org CODE --item CODE</c>: a provider's CSV or XLSX file through the push checks.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv (UTF-8 or GB18030) or .xlsx file: a header row of sourceId, idType, idNumber, name, occurredOn and the item's fields." };
        var org = new Option<string>("--org") { Description = "The providing organisation's unified social credit code.", Required = true };
        var item = new Option<string>("--item") { Description = "The catalog item every row is a record of.", Required = true };
        var rejectedPath = new Option<FileInfo?>("--rejected") { Description = "Where to write the rejected rows (default: FILE.rejected.csv beside it)." };
        var import = new Command("import", "Import a provider's records from a file; rejected rows go to a file beside it. Exit 0: all accepted, 1: some rejected, 2: file refused.")
        {
            file, org, item, rejectedPath,
        };
        import.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                return PlatformCommand.Fail([$"{input.FullName} does not exist."]);
            }
            var (provider, problem) = await services.GetRequiredService<OrganisationService>().FindByCodeAsync(parse.GetValue(org), ct);
            if (provider is null)
            {
                return PlatformCommand.Fail([problem!]);
            }
            var output = parse.GetValue(rejectedPath)?.FullName ?? Path.ChangeExtension(input.FullName, ".rejected.csv");
            var bar = new ProgressBar(input.Length);
            try
            {
                await using var stream = input.OpenRead();
                await using var rejected = new StreamWriter(output, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                var result = await services.GetRequiredService<RecordImporter>().ImportAsync(stream, input.Name, provider.Id, parse.GetValue(item)!, rejected, bar.Show, ct);
                bar.Done();
                await services.GetRequiredService<Submissions>().LogImportAsync(provider.Id, input.Name, parse.GetValue(item)!, input.Length, result, null, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Rows} rows: {result.Created} created, {result.Updated} updated, {result.Unchanged} unchanged, {result.Rejected} rejected."));
                if (result.Rejected > 0)
                {
                    Console.WriteLine($"Rejected rows and their reasons: {output}");
                    return 1;
                }
                File.Delete(output);
                return 0;
            }
            catch (ImportFileException e)
            {
                bar.Done();
                await services.GetRequiredService<Submissions>().LogImportAsync(provider.Id, input.Name, parse.GetValue(item)!, input.Length, null, e.Message, ct);
                File.Delete(output);
                return PlatformCommand.Fail([$"{input.Name}: {e.Message}"]) + 1;
            }
        }, cancellationToken));
        return import;
    }

    /// <summary>A one-line progress bar on standard error, drawn only on a terminal.</summary>
    private sealed class ProgressBar(long total)
    {
        private readonly bool _visible = !Console.IsErrorRedirected;

        public void Show(ImportProgress p)
        {
            if (!_visible)
            {
                return;
            }
            var fraction = total > 0 && p.BytesRead > 0 ? Math.Min(1.0, (double)p.BytesRead / total) : 0;
            var filled = (int)(fraction * 30);
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('-', 30 - filled)}] {fraction,4:P0} {p.Rows,9:N0} rows, {p.Rejected:N0} rejected"));
        }

        public void Done()
        {
            if (_visible)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
