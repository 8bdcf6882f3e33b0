using System.Text.Json;
using Chengxin.Audit;
using Chengxin.Data;
using Chengxin.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Exchange;

public sealed record FeedSubject(string IdType, string IdNumber, string Name);

/// <summary>
/// One change as receivers get it: what happened to which record, and the record's content at that
/// version. A purge (the record's retention ended) names the record only: no date, person or fields.
/// </summary>
public sealed record FeedItem(
    long Sequence,
    RecordChangeKind Kind,
    DateTimeOffset At,
    Guid RecordId,
    string Provider,
    string SourceId,
    string CatalogItem,
    int Version,
    DateOnly? OccurredOn,
    RecordStatus Status,
    FeedSubject? Subject,
    JsonElement? Fields);

/// <summary>A page of the feed; pass <see cref="Next"/> as <c>after</c> for the following one.</summary>
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, long Next);

/// <summary>Reads the change log for one receiver: only the items it subscribed to, in order, from a cursor.</summary>
public sealed class FeedService(ChengxinDb db, SubjectRegistry subjects, QueryLog queries)
{
    public const int MaxPage = 500;

    public async Task<FeedPage?> PageAsync(Guid organisationId, string actor, long after, int limit, CancellationToken cancellationToken)
    {
        var receiver = await db.Receivers.AsNoTracking().Include(r => r.Items).SingleOrDefaultAsync(r => r.OrganisationId == organisationId, cancellationToken);
        return receiver is null ? null : await PageAsync(receiver, actor, "api", after, limit, cancellationToken);
    }

    /// <summary>A page of changes; every person in it is registered as read by the receiver, on its entitlement.</summary>
    public async Task<FeedPage> PageAsync(Receiver receiver, string actor, string channel, long after, int limit, CancellationToken cancellationToken)
    {
        var items = receiver.Items.Select(i => i.ItemCode).ToList();
        var changes = await db.RecordChanges.AsNoTracking()
            .Where(c => c.Sequence > after && items.Contains(c.ItemCode))
            .OrderBy(c => c.Sequence).Take(Math.Clamp(limit, 1, MaxPage))
            .ToListAsync(cancellationToken);
        if (changes.Count == 0)
        {
            return new FeedPage([], after);
        }
        var recordIds = changes.Where(c => c.Kind != RecordChangeKind.Purged).Select(c => c.RecordId).Distinct().ToList();
        var records = await db.Records.AsNoTracking().Where(r => recordIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        // Only the versions the changes name, looked up by key: a page of 500 changes stays 500 lookups.
        var wanted = changes.Select(c => (c.RecordId, c.Version)).ToHashSet();
        var versions = (await db.RecordVersions.AsNoTracking().Where(v => recordIds.Contains(v.RecordId)).ToListAsync(cancellationToken))
            .Where(v => wanted.Contains((v.RecordId, v.Number)))
            .ToDictionary(v => (v.RecordId, v.Number));
        var subjectIds = records.Values.Select(r => r.SubjectId).Distinct().ToList();
        var people = await db.Subjects.AsNoTracking().Where(s => subjectIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var providerIds = changes.Select(c => c.ProviderId).Distinct().ToList();
        var providers = await db.Organisations.AsNoTracking().Where(o => providerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, cancellationToken);

        var page = changes.Select(c =>
        {
            if (c.Kind == RecordChangeKind.Purged)
            {
                return new FeedItem(c.Sequence, c.Kind, c.At, c.RecordId, providers[c.ProviderId], c.SourceId ?? "", c.ItemCode, c.Version, null, RecordStatus.Purged, null, null);
            }
            var record = records[c.RecordId];
            var subject = people[record.SubjectId];
            var version = versions[(c.RecordId, c.Version)];
            return new FeedItem(c.Sequence, c.Kind, c.At, c.RecordId, providers[record.ProviderId], record.SourceId, c.ItemCode, c.Version, record.OccurredOn,
                c.Kind == RecordChangeKind.Revoked ? RecordStatus.Revoked : RecordStatus.Active,
                new FeedSubject(subject.IdType, subjects.Number(subject), subjects.Name(subject)),
                JsonSerializer.Deserialize<JsonElement>(version.Fields));
        }).ToList();
        var reads = page.Where(i => i.Kind != RecordChangeKind.Purged).GroupBy(i => records[i.RecordId].SubjectId)
            .Select(g => new SubjectRead(g.Key, g.Select(i => i.CatalogItem).ToList(), g.Select(i => i.RecordId).Distinct().Count()))
            .ToList();
        await queries.RegisterAsync(new QueryContext(actor, receiver.OrganisationId, channel, "exchange", $"entitlement:{receiver.Id:N}"), reads, cancellationToken);
        return new FeedPage(page, changes[^1].Sequence);
    }
}
