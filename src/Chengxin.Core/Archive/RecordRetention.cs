namespace Chengxin.Archive;

/// <summary>
/// How long a record is kept once no one but the person and auditors may see it. Negative
/// information is kept at most <c>years</c> (5 by default, Credit Reporting Industry Regulation
/// art. 16) from the end of the act, or from the decision when the act has no end date, and then
/// deleted; a record still shown is never deleted, however old.
/// </summary>
public static class RecordRetention
{
    public const int DefaultYears = 5;

    /// <summary>The first day the record may be deleted, or null while it is still shown.</summary>
    /// <param name="stoppedOn">The day in China it was revoked or repaired, for those states.</param>
    public static DateOnly? PurgeableFrom(DisplayDecision display, DateOnly occurredOn, DateOnly? actEndedOn, DateOnly? stoppedOn, int years)
    {
        DateOnly? hiddenSince = display.State switch
        {
            RecordState.Expired => display.ShownThrough?.AddDays(1),
            RecordState.NotShown => occurredOn,
            RecordState.Revoked or RecordState.Repaired => stoppedOn ?? occurredOn,
            _ => null,
        };
        if (hiddenSince is null)
        {
            return null;
        }
        var kept = (actEndedOn ?? occurredOn).AddYears(years);
        return hiddenSince > kept ? hiddenSince : kept;
    }

    public static bool Purgeable(DisplayDecision display, DateOnly occurredOn, DateOnly? actEndedOn, DateOnly? stoppedOn, int years, DateOnly today) =>
        DueOn(display, occurredOn, actEndedOn, stoppedOn, years, today) is not null;

    /// <summary>The day the record became due for deletion, if it is due by <paramref name="today"/>.</summary>
    private static DateOnly? DueOn(DisplayDecision display, DateOnly occurredOn, DateOnly? actEndedOn, DateOnly? stoppedOn, int years, DateOnly today) =>
        PurgeableFrom(display, occurredOn, actEndedOn, stoppedOn, years) is { } from && today >= from ? from : null;

    /// <summary>
    /// The error for a pushed record already past its retention: it would be deleted the next day,
    /// so it is not collected at all. Null when it may be kept.
    /// </summary>
    public static Records.FieldError? PastRetention(Catalog.CatalogItem item, DateOnly occurredOn, DateOnly? actEndedOn, string? grade, int years, DateOnly today,
        System.Text.Json.JsonElement fields = default)
    {
        var display = DisplayPeriod.Evaluate(item, occurredOn, actEndedOn, grade, false, false, today, fields);
        return DueOn(display, occurredOn, actEndedOn, null, years, today) is { } from
            ? new("occurredOn", "past-retention", $"A record of {item.Code} from {occurredOn:yyyy-MM-dd} is no longer shown and was due for deletion on {from:yyyy-MM-dd} ({years} years); it is not collected.")
            : null;
    }
}
