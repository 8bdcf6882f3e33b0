using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Organisations;
using Chengxin.Records;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Seeding;

/// <summary>What a seed run wrote.</summary>
public sealed record SeedResult(int Subjects, long Records, string ProviderCode, TimeSpan Elapsed);

/// <summary>
/// Fills the database with synthetic people and records for load tests: valid identity numbers
/// (never real: the sequence runs over a fixed set of Changsha districts and birth dates), every
/// item in force, fields drawn from each item's schema, all marked synthetic. People and their
/// records are written in chunks, by binary COPY on PostgreSQL, the next chunk generated while the
/// last is written. Seeded records start no change feed: receivers start from the current head.
/// </summary>
public sealed class SyntheticSeed(IServiceScopeFactory scopes, CatalogStore catalog)
{
    public const int ChunkSubjects = 5_000;

    private static readonly string[] Divisions = ["430102", "430103", "430104", "430105", "430111", "430112", "430121", "430181", "430182", "430202"];
    private static readonly string[] FamilyNames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"];
    private static readonly DateOnly FirstBirth = new(1950, 1, 1);
    private const int BirthDays = 18_250;

    /// <summary>The organisation synthetic records in an organisation's name refer to: the seed's own provider.</summary>
    private static readonly string OrganisationCode = "91430100999999990" + CreditCode.CheckCharacter("91430100999999990");

    /// <summary>The resident number of the <paramref name="index"/>th synthetic person: unique for the first 182 million.</summary>
    public static string Number(int index)
    {
        var rest = Math.DivRem(index, 999, out var sequence);
        var division = Divisions[rest / BirthDays % Divisions.Length];
        return ResidentIdNumber.Compose(division, FirstBirth.AddDays(rest % BirthDays), sequence + 1);
    }

    public static string Name(int index) => FamilyNames[index % FamilyNames.Length] + GivenNames[index / FamilyNames.Length % GivenNames.Length];

    public async Task<SeedResult> RunAsync(int subjects, long records, Action<int, long>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (await HoldsRealPeopleAsync(cancellationToken))
        {
            throw new InvalidOperationException("This database holds real people: synthetic data is seeded only into a database of its own.");
        }
        var items = (await catalog.InForceAsync(cancellationToken)).ToList();
        var provider = await ProviderAsync(items, cancellationToken);
        var today = Calendar.ChinaTime.Today(TimeProvider.System);
        // Chunks are generated on one core while the previous one is written on the other.
        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var start = await StartIndexAsync(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                long written = 0;
                for (var first = 0; first < subjects; first += ChunkSubjects)
                {
                    var count = Math.Min(ChunkSubjects, subjects - first);
                    // Spread the records evenly: the person at position p gets records up to their share of the total.
                    var chunkRecords = (records * (first + count) / subjects) - written;
                    written += chunkRecords;
                    await chunks.Writer.WriteAsync(Generate(start + first, count, (int)chunkRecords, items, provider, today), cancellationToken);
                }
            }
            finally
            {
                chunks.Writer.Complete();
            }
        }, cancellationToken);
        var (doneSubjects, doneRecords) = (0, 0L);
        await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
        {
            await WriteAsync(chunk, cancellationToken);
            doneSubjects += chunk.Subjects.Count;
            doneRecords += chunk.Records.Count;
            progress?.Invoke(doneSubjects, doneRecords);
        }
        await producer;
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Audit.AuditTrail>().AppendAsync(new Audit.AuditEvent(Audit.Actors.CommandLine, "seed.synthetic", null, provider.Code,
                JsonSerializer.Serialize(new { subjects = doneSubjects, records = doneRecords })), cancellationToken);
        }
        return new SeedResult(doneSubjects, doneRecords, provider.Code, watch.Elapsed);
    }

    private sealed record Chunk(List<Subject> Subjects, List<CreditRecord> Records, List<RecordVersion> Versions);

    private sealed record Provider(Guid Id, string Code);

    private async Task<bool> HoldsRealPeopleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChengxinDb>().Subjects.AnyAsync(s => !s.Synthetic, cancellationToken);
    }

    /// <summary>A second run adds people after those already seeded, so numbers never collide.</summary>
    private async Task<int> StartIndexAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChengxinDb>().Subjects.CountAsync(s => s.Synthetic, cancellationToken);
    }

    private async Task<Provider> ProviderAsync(IReadOnlyList<CatalogItemInForce> items, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var code = OrganisationCode;
        var (organisation, problems) = await scope.ServiceProvider.GetRequiredService<OrganisationService>().RegisterAsync(
            new OrganisationRegistration(code, "合成数据报送单位（压力测试）", "Synthetic load-test provider", "department", [.. items.Select(i => i.Item.Code).Distinct()], false, Synthetic: true),
            cancellationToken);
        return organisation is null ? throw new InvalidOperationException(string.Join("; ", problems)) : new Provider(organisation.Id, organisation.Code);
    }

    private Chunk Generate(int first, int count, int recordCount, IReadOnlyList<CatalogItemInForce> items, Provider provider, DateOnly today)
    {
        using var scope = scopes.CreateScope();
        var registry = scope.ServiceProvider.GetRequiredService<SubjectRegistry>();
        var people = new Subject[count];
        Parallel.For(0, count, i => people[i] = registry.Create(IdType.ResidentId, Number(first + i), Name(first + i), synthetic: true));
        var records = new List<CreditRecord>(recordCount);
        var versions = new List<RecordVersion>(recordCount);
        var now = DateTimeOffset.UtcNow;
        for (var r = 0; r < recordCount; r++)
        {
            var who = (int)((long)r * count / recordCount);
            var index = first + who;
            var (item, occurredOn, grade, fields) = Content(items, index, r, today);
            var canonical = RecordContent.Canonical(fields);
            var digest = RecordContent.Digest(item.Item.Code, occurredOn, canonical);
            var record = new CreditRecord
            {
                SubjectId = people[who].Id,
                ProviderId = provider.Id,
                SourceId = string.Create(CultureInfo.InvariantCulture, $"SEED-{index}-{r}"),
                ItemCode = item.Item.Code,
                CatalogVersion = CatalogStore.VersionKey(item.Scope, item.Version),
                OccurredOn = occurredOn,
                Grade = grade,
                CurrentVersion = 1,
                ContentSha256 = digest,
                Synthetic = true,
                CreatedAt = now,
                UpdatedAt = now,
            };
            records.Add(record);
            versions.Add(new RecordVersion { RecordId = record.Id, Number = 1, ContentSha256 = digest, Fields = canonical, CreatedAt = now });
        }
        return new Chunk([.. people], records, versions);
    }

    /// <summary>A plausible record of some item for this person: a date after their 18th birthday within six years, fields from the item's schema.</summary>
    private static (CatalogItemInForce Item, DateOnly OccurredOn, string? Grade, JsonElement Fields) Content(IReadOnlyList<CatalogItemInForce> items, int person, int n, DateOnly today)
    {
        var hash = (uint)HashCode.Combine(person, n);
        var item = items[(int)(hash % (uint)items.Count)];
        var adult = FirstBirth.AddDays(person / 999 % BirthDays).AddYears(18);
        var earliest = adult > today.AddYears(-6) ? adult : today.AddYears(-6);
        var span = Math.Max(1, today.DayNumber - earliest.DayNumber);
        var occurredOn = earliest.AddDays((int)(hash / 7 % (uint)span));
        var grades = item.Item.SeverityGrades;
        var grade = grades.Count == 0 ? null : grades[(int)(hash / 3 % (uint)grades.Count)];
        var fields = new Dictionary<string, object?>();
        foreach (var field in item.Item.Fields)
        {
            fields[field.Name] = field.Name switch
            {
                "severity" when grade is not null => grade,
                RecordChecks.OrganisationCodeField => OrganisationCode,
                _ => Value(field, hash, occurredOn),
            };
        }
        return (item, occurredOn, grade, JsonSerializer.SerializeToElement(fields));
    }

    /// <summary>A whole number within the field's bounds (or the fallback's), drawn from the hash.</summary>
    private static decimal Within(CatalogField field, decimal low, decimal high, uint hash)
    {
        var (min, max) = (field.Minimum ?? low, field.Maximum ?? Math.Max(high, (field.Minimum ?? low) + high));
        return min + hash % (max - min + 1);
    }

    private static object? Value(CatalogField field, uint hash, DateOnly occurredOn) => field.Type switch
    {
        FieldType.Enum when field.Values is { Count: > 0 } values => values[(int)(hash % (uint)values.Count)],
        FieldType.Date => occurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FieldType.Integer => (long)Within(field, 1, 1000, hash),
        FieldType.Decimal => Within(field, 0, 100_000, hash),
        FieldType.Boolean => hash % 2 == 0,
        FieldType.Text => Clip("合成压力测试数据，非真实信息。", field.MaxLength),
        _ => Clip(string.Create(CultureInfo.InvariantCulture, $"合成{hash % 100000:D5}"), field.MaxLength),
    };

    private static string Clip(string text, int? max) => max is { } m && text.Length > m ? text[..m] : text;

    private async Task WriteAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await BulkCopy.InsertAsync(db, chunk.Subjects, cancellationToken);
            await BulkCopy.InsertAsync(db, chunk.Records, cancellationToken);
            await BulkCopy.InsertAsync(db, chunk.Versions, cancellationToken);
        }
        else
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Subjects.AddRange(chunk.Subjects);
            db.Records.AddRange(chunk.Records);
            db.RecordVersions.AddRange(chunk.Versions);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
