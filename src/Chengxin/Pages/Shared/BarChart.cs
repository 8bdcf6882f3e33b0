using Chengxin.Dashboards;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Shared;

public sealed record BarChart(string Title, IReadOnlyList<Bar> Bars, string Empty)
{
    /// <summary>The three collection charts of a dashboard, titled in the reader's language.</summary>
    public static IReadOnlyList<BarChart> For(Dashboard data, IStringLocalizer t) =>
    [
        new(t["Dashboard.PerWeek"], data.RecordsPerWeek, t["Dashboard.None"]),
        new(t["Dashboard.ByReason"], [.. data.RejectionsByCode.Select(b => b with { Label = Reason(t, b.Label) })], t["Dashboard.None"]),
        new(t["Dashboard.Timeliness"], data.Timeliness, t["Dashboard.None"]),
    ];

    /// <summary>A rejection code in words, with the code the API answers beside it (providers' systems log codes).</summary>
    private static string Reason(IStringLocalizer t, string code) => t[$"Reason.{code}"] is { ResourceNotFound: false } words ? $"{words.Value} ({code})" : code;
}
