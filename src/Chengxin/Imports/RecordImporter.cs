using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Records;
using Chengxin.Subjects;

namespace Chengxin.Imports;

/// <summary>How far an import has come.</summary>
public sealed record ImportProgress(int Rows, int Created, int Updated, int Unchanged, int Rejected, long BytesRead, IReadOnlyDictionary<string, int> RejectionsByCode)
{
    public static readonly ImportProgress None = new(0, 0, 0, 0, 0, 0, new Dictionary<string, int>());
}

/// <summary>
/// Loads a provider's CSV or XLSX file through the same checks as a push, in constant memory, and writes every rejected row
/// with its reasons (row, field, code, message). Rows are read and checked 1,000 at a time and stored 4,000 per transaction,
/// the next rows read and checked while the last are stored. A file that cannot be read at all, or whose header is wrong, imports nothing.
/// </summary>
public sealed class RecordImporter(IServiceScopeFactory scopes, CatalogStore catalog)
{
    public const int ChunkSize = PushService.MaxBatch;

    /// <summary>
    /// Chunks stored per transaction. A transaction's fixed cost (lock, lookups, four COPY statements, audit entry, commit)
    /// spread over 4,000 rows instead of 1,000; at most 2 × 4 + 1 chunks are held, all of them by a file of 10,000 rows already.
    /// </summary>
    public const int ChunksPerTransaction = 4;
    private static readonly string[] Envelope = ["sourceId", "idType", "idNumber", "name", "occurredOn"];

    public async Task<ImportProgress> ImportAsync(Stream file, string fileName, Guid providerId, string itemCode, TextWriter rejected, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var item = (await catalog.FindAsync(itemCode, cancellationToken))?.Item
            ?? throw new ImportFileException($"'{itemCode}' is not a catalog item in force.");
        using var table = TableReader.Open(file, fileName);
        var columns = MapHeader(table.Header, item);
        // The columns as before, and the reason in the words of the office that fixes the rows (Chinese, whatever the server's language).
        await rejected.WriteLineAsync("row,sourceId,field,code,message,reason");

        ImportProgress state;
        // Reading and checking the next chunks overlaps with storing the previous ones; a bounded number is held, so memory stays flat.
        var chunks = Channel.CreateBounded<Chunk>(ChunksPerTransaction);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var checking = scopes.CreateAsyncScope();
        var check = checking.ServiceProvider.GetRequiredService<PushService>();
        var reader = Task.Run(() => ReadChunksAsync(table, columns, item, rows => check.CheckAsync(providerId, rows, stopReading.Token), chunks.Writer, stopReading.Token), stopReading.Token);
        try
        {
            state = await StoreChunksAsync(chunks.Reader, file, rejected, progress, cancellationToken);
        }
        catch (ImportFileException)
        {
            // What was read before the damage has been imported, as the message says.
            await rejected.FlushAsync(cancellationToken);
            throw;
        }
        finally
        {
            // If storing failed, the reader must not wait forever for room in the channel.
            await stopReading.CancelAsync();
            await reader.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        await rejected.FlushAsync(cancellationToken);
        progress?.Invoke(state);
        return state;
    }

    /// <summary>Stores the checked chunks as they come, a transaction's worth at a time; the rows read before a damaged part of the file are stored too.</summary>
    private async Task<ImportProgress> StoreChunksAsync(ChannelReader<Chunk> chunks, Stream file, TextWriter rejected, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var state = ImportProgress.None;
        var recent = new RecentTransactions();
        var group = new List<Chunk>(ChunksPerTransaction);
        ImportFileException? damage = null;
        try
        {
            await foreach (var chunk in chunks.ReadAllAsync(cancellationToken))
            {
                group.Add(chunk);
                // Transactions are full but for the last, so a short file holds as many chunks at once as a long one does.
                if (group.Count == ChunksPerTransaction)
                {
                    state = await StoreAsync(group, recent, rejected, state, Position(file), cancellationToken);
                    group.Clear();
                    progress?.Invoke(state);
                }
            }
        }
        catch (ImportFileException e)
        {
            damage = e;
        }
        if (group.Count > 0)
        {
            state = await StoreAsync(group, recent, rejected, state, Position(file), cancellationToken);
        }
        if (damage is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(damage);
        }
        return state;
    }

    /// <summary>Rows read from the file (with their row numbers) and the outcome of their checks.</summary>
    private sealed record Chunk(List<int> Rows, PushService.CheckedBatch Checked);

    private static async Task ReadChunksAsync(TableReader table, Dictionary<string, int> columns, CatalogItem item,
        Func<List<IncomingRecord>, Task<PushService.CheckedBatch>> check, ChannelWriter<Chunk> chunks, CancellationToken cancellationToken)
    {
        var records = new List<IncomingRecord>(ChunkSize);
        var rows = new List<int>(ChunkSize);
        async Task SendAsync()
        {
            await chunks.WriteAsync(new Chunk(rows, await check(records)), cancellationToken);
            records = new List<IncomingRecord>(ChunkSize);
            rows = new List<int>(ChunkSize);
        }
        try
        {
            while (Next(table))
            {
                records.Add(ReadRow(table, columns, item, records.Count));
                rows.Add(table.RowNumber);
                if (records.Count == ChunkSize)
                {
                    await SendAsync();
                }
            }
            if (records.Count > 0)
            {
                await SendAsync();
            }
            chunks.Complete();
        }
        catch (ImportFileException e)
        {
            if (records.Count > 0)
            {
                await SendAsync();
            }
            chunks.Complete(e);
        }
        catch (Exception e)
        {
            chunks.Complete(e);
        }
    }

    private static bool Next(TableReader table)
    {
        try
        {
            return table.Read();
        }
        catch (Exception e) when (e is Sylvan.Data.Csv.CsvFormatException or InvalidDataException or System.Xml.XmlException or IOException)
        {
            throw new ImportFileException($"The file cannot be read after row {table.RowNumber} (damaged or truncated?): {e.Message} Rows before it were imported.");
        }
    }

    private static long Position(Stream stream) => stream.CanSeek ? stream.Position : 0;

    private async Task<ImportProgress> StoreAsync(List<Chunk> group, RecentTransactions recent, TextWriter rejected, ImportProgress state, long position, CancellationToken cancellationToken)
    {
        var batches = group.Select(c => c.Checked).ToList();
        recent.Complete(batches);
        // A fresh scope per transaction keeps the change tracker, and so memory, the same size whatever the file's length.
        await using var scope = scopes.CreateAsyncScope();
        var responses = await scope.ServiceProvider.GetRequiredService<PushService>().StoreAsync(batches, cancellationToken);
        recent.Remember(batches);
        var codes = new Dictionary<string, int>(state.RejectionsByCode);
        for (var i = 0; i < group.Count; i++)
        {
            var response = responses[i];
            foreach (var result in response.Results.Where(r => r.Status == PushResult.Rejected))
            {
                var row = group[i].Rows[result.Index];
                foreach (var error in result.Errors ?? [])
                {
                    await rejected.WriteLineAsync(string.Join(',', row.ToString(CultureInfo.InvariantCulture), Csv(result.SourceId), Csv(ColumnOf(error.Field)), Csv(error.Code), Csv(error.Message), Csv(ReasonInChinese(error.Code))));
                }
            }
            foreach (var (code, count) in Submissions.CountCodes(response))
            {
                codes[code] = codes.GetValueOrDefault(code) + count;
            }
            state = new ImportProgress(
                state.Rows + response.Results.Count,
                state.Created + response.Results.Count(r => r.Status == PushResult.Created),
                state.Updated + response.Results.Count(r => r.Status == PushResult.Updated),
                state.Unchanged + response.Results.Count(r => r.Status == PushResult.Unchanged),
                state.Rejected + response.Rejected,
                position,
                codes);
        }
        return state;
    }

    /// <summary>The file's column a push field path comes from: subject.idNumber is the idNumber column, fields.x is x.</summary>
    private static string ColumnOf(string field) => field switch
    {
        _ when field.StartsWith("subject.", StringComparison.Ordinal) => field["subject.".Length..],
        _ when field.StartsWith("fields.", StringComparison.Ordinal) => field["fields.".Length..],
        _ => field,
    };

    private static Dictionary<string, int> MapHeader(IReadOnlyList<string> header, CatalogItem item)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (name.Length == 0)
            {
                continue;
            }
            if (ProhibitedData.IsProhibitedFieldName(name))
            {
                problems.Add($"column '{name}' holds data that may never be collected");
            }
            else if (!Envelope.Contains(name) && item.Fields.All(f => f.Name != name))
            {
                problems.Add($"column '{name}' is not a field of {item.Code}");
            }
            else if (!columns.TryAdd(name, i))
            {
                problems.Add($"column '{name}' appears twice");
            }
        }
        var missing = Envelope.Concat(item.Fields.Where(f => f.Required).Select(f => f.Name)).Where(n => !columns.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"the header lacks {string.Join(", ", missing)}");
        }
        if (problems.Count > 0)
        {
            throw new ImportFileException($"The header row is refused, so nothing was imported: {string.Join("; ", problems)}. Expected columns: {string.Join(", ", Envelope.Concat(item.Fields.Select(f => f.Name)))}.");
        }
        return columns;
    }

    private static IncomingRecord ReadRow(TableReader table, Dictionary<string, int> columns, CatalogItem item, int index)
    {
        var errors = new List<FieldError>();
        string? Text(string column) => table.Value(columns[column]) switch
        {
            null => null,
            DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            double n => n.ToString("R", CultureInfo.InvariantCulture),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
        };
        var sourceId = Text("sourceId");
        if (sourceId is null)
        {
            errors.Add(new("sourceId", "required", "sourceId is required."));
        }
        else if (sourceId.Length > IncomingRecord.MaxSourceIdLength)
        {
            errors.Add(new("sourceId", "max-length", $"sourceId has {sourceId.Length} characters; at most {IncomingRecord.MaxSourceIdLength} are allowed."));
        }
        DateOnly? occurredOn = null;
        if (Text("occurredOn") is { } date)
        {
            if (RecordChecks.TryParseDate(date, out var parsed))
            {
                occurredOn = parsed;
            }
            else
            {
                errors.Add(new("occurredOn", "type", $"occurredOn '{date}' is not a date (yyyy-MM-dd)."));
            }
        }
        if (columns.Values.Any(c => table.Value(c) is string cell && cell.Contains(TableReader.Undecodable, StringComparison.Ordinal)))
        {
            errors.Add(new("", "encoding", $"This row has bytes that are not {table.EncodingName}; save the whole file as UTF-8 (or GB18030) and import it again."));
        }
        return new IncomingRecord(index, sourceId, item.Code, new SubjectInput(Text("idType"), Text("idNumber"), Text("name")), occurredOn,
            Fields(table, columns, item), errors);
    }

    /// <summary>The row's fields as the JSON object a push would carry, in the catalog's order; empty cells are left out.</summary>
    private static JsonElement Fields(TableReader table, Dictionary<string, int> columns, CatalogItem item)
    {
        // Written straight to JSON through a buffer kept per thread: every row of a file goes through here.
        var buffer = _fieldsBuffer ??= new ArrayBufferWriter<byte>(1024);
        // Chinese text is written as UTF-8, not escaped: this JSON is only parsed again, and the canonical form escapes as it always has.
        var writer = _fieldsWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var field in item.Fields)
        {
            if (columns.TryGetValue(field.Name, out var column) && table.Value(column) is { } value)
            {
                writer.WritePropertyName(field.Name);
                WriteTyped(writer, field, value);
            }
        }
        writer.WriteEndObject();
        writer.Flush();
        var json = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref json);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _fieldsBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _fieldsWriter;

    /// <summary>A cell as the field's JSON type when it reads as one; otherwise as text, for the checks to refuse with the reason.</summary>
    private static void WriteTyped(Utf8JsonWriter writer, CatalogField field, object value)
    {
        var text = value switch
        {
            DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            double n => n.ToString("R", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        };
        switch (field.Type)
        {
            case FieldType.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n):
                writer.WriteNumberValue(n);
                break;
            case FieldType.Decimal when decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d):
                writer.WriteNumberValue(d);
                break;
            case FieldType.Boolean when text is "true" or "TRUE" or "是" or "1":
                writer.WriteBooleanValue(true);
                break;
            case FieldType.Boolean when text is "false" or "FALSE" or "否" or "0":
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteStringValue(text);
                break;
        }
    }

    private static readonly System.Resources.ResourceManager Words = new("Chengxin.Resources.SharedResource", typeof(RecordImporter).Assembly);

    private static string? ReasonInChinese(string code) => Words.GetString($"Reason.{code}", CultureInfo.InvariantCulture);

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        // A leading =, +, - or @ would run as a formula in a spreadsheet; a quote mark keeps it text.
        var safe = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}

/// <summary>
/// The people and records an import's last transactions stored. The next chunks were checked, and looked up, while those
/// transactions ran, so they may not have seen them; without this, a person or sourceId in two neighbouring transactions
/// would meet a unique index and the second transaction would be redone. Chunks are checked at most two transactions before
/// their own (a full transaction's worth waits in the channel, one more chunk with the reader), so two transactions' worth is kept.
/// </summary>
internal sealed class RecentTransactions
{
    private const int Transactions = 2;
    private readonly Queue<List<(Dictionary<string, Guid> People, HashSet<string> Stored)>> _stored = new();

    /// <summary>Gives each batch the people and records it was checked too early to find.</summary>
    public void Complete(List<PushService.CheckedBatch> batches)
    {
        if (_stored.Count == 0)
        {
            return;
        }
        var earlier = _stored.SelectMany(t => t).ToList();
        var people = new Dictionary<string, Guid>(earlier.Sum(e => e.People.Count), StringComparer.Ordinal);
        var stored = new HashSet<string>(earlier.Sum(e => e.Stored.Count), StringComparer.Ordinal);
        foreach (var (earlierPeople, earlierStored) in earlier)
        {
            foreach (var (index, person) in earlierPeople)
            {
                people.TryAdd(index, person);
            }
            stored.UnionWith(earlierStored);
        }
        foreach (var batch in batches)
        {
            foreach (var a in batch.Accepted)
            {
                if (!batch.People.ContainsKey(a.Index) && people.TryGetValue(a.Index, out var person))
                {
                    batch.People[a.Index] = person;
                }
                if (stored.Contains(a.Incoming.SourceId!))
                {
                    batch.Stored.Add(a.Incoming.SourceId!);
                }
            }
        }
    }

    /// <summary>After a transaction committed: its batches now know every accepted item's person and record.</summary>
    public void Remember(List<PushService.CheckedBatch> batches)
    {
        _stored.Enqueue([.. batches.Select(b => (b.People, b.Stored))]);
        if (_stored.Count > Transactions)
        {
            _stored.Dequeue();
        }
    }
}
