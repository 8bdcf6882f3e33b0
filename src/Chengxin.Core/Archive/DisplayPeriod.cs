using Chengxin.Catalog;

namespace Chengxin.Archive;

/// <summary>Where a record stands for display: what the person sees beside it, and whether anyone else may.</summary>
public enum RecordState
{
    /// <summary>Within its display period: shown and used.</summary>
    Active,
    /// <summary>Its display period is over: archived, never shown or used again.</summary>
    Expired,
    /// <summary>Its grade is never shown (a minor penalty).</summary>
    NotShown,
    /// <summary>The provider revoked it: its decision was quashed.</summary>
    Revoked,
    /// <summary>The person repaired their credit: display stopped on approval.</summary>
    Repaired,
}

/// <param name="Shown">Whether the record may be shown and used anywhere but to the person and auditors: reports, checks, scores, lists, the public site.</param>
/// <param name="ShownThrough">The last day it is shown, when its period is bounded and known.</param>
/// <param name="RepairableFrom">The first day the person may apply for repair, when the item is repairable.</param>
public sealed record DisplayDecision(RecordState State, bool Shown, DateOnly? ShownThrough, DateOnly? RepairableFrom);

/// <summary>
/// The one rule deciding whether a record is shown: every page, report, check and list asks it,
/// with today's date in China (Asia/Shanghai, see <c>ChinaTime</c>). A record is shown from its
/// start (the decision, or the end of the act for items counted from it) for the item's months,
/// per grade; the day the months are up, it is no longer shown. A month from the 31st or from
/// 29 February ends on the month's last day.
/// </summary>
public static class DisplayPeriod
{
    /// <summary>The field that holds the end of the act, for items counted from it.</summary>
    public const string ActEndedField = "actEndedOn";

    /// <summary>The end of the act a record's fields give, for items whose display counts from it.</summary>
    public static DateOnly? ActEnded(System.Text.Json.JsonElement fields) =>
        fields.ValueKind == System.Text.Json.JsonValueKind.Object && fields.TryGetProperty(ActEndedField, out var value)
        && value.ValueKind == System.Text.Json.JsonValueKind.String && Records.RecordChecks.TryParseDate(value.GetString(), out var date) ? date : null;

    /// <param name="fields">The record's fields, for the item's never-shown conditions (a minor penalty that is a warning).</param>
    public static DisplayDecision Evaluate(CatalogItem item, DateOnly occurredOn, DateOnly? actEndedOn, string? grade, bool revoked, bool repaired, DateOnly today,
        System.Text.Json.JsonElement fields = default)
    {
        var repairableFrom = RepairableFrom(item, occurredOn, grade);
        if (revoked)
        {
            return new(RecordState.Revoked, false, null, null);
        }
        if (repaired)
        {
            return new(RecordState.Repaired, false, null, null);
        }
        var months = item.Display.MonthsFor(grade, fields);
        if (months == 0)
        {
            return new(RecordState.NotShown, false, null, null);
        }
        // An act not yet ended (an unpaid debt, say) is shown until it ends and its period runs out.
        var start = item.Display.From == DisplayStart.EndOfAct ? actEndedOn : occurredOn;
        if (months is null || start is null)
        {
            return new(RecordState.Active, true, null, repairableFrom);
        }
        var hiddenFrom = start.Value.AddMonths(months.Value);
        return today < hiddenFrom
            ? new(RecordState.Active, true, hiddenFrom.AddDays(-1), repairableFrom)
            : new(RecordState.Expired, false, hiddenFrom.AddDays(-1), null);
    }

    private static DateOnly? RepairableFrom(CatalogItem item, DateOnly occurredOn, string? grade)
    {
        if (!item.Repair.Repairable)
        {
            return null;
        }
        var months = grade is not null && item.Repair.AfterMonthsByGrade?.TryGetValue(grade, out var byGrade) == true ? byGrade : item.Repair.AfterMonths;
        return occurredOn.AddMonths(months ?? 0);
    }
}
