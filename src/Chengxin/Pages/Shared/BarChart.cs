using Chengxin.Dashboards;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Shared;

public sealed record BarChart(string Title, IReadOnlyList<Bar> Bars, string Empty)
{
    /// <summary>The three collection charts of a dashboard, titled in the reader's language.</summary>
    public static IReadOnlyList<BarChart> For(Dashboard data, IStringLocalizer t) =>
    [
        new(t["Dashboard.PerWeek"], data.RecordsPerWeek, t["Dashboard.None"]),
        new(t["Dashboard.ByReason"], data.RejectionsByCode, t["Dashboard.None"]),
        new(t["Dashboard.Timeliness"], data.Timeliness, t["Dashboard.None"]),
    ];
}
