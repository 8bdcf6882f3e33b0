using System.Globalization;
using Chengxin.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Public;

/// <summary>The public catalog: what may be collected about a person, on which legal basis, shown to whom and for how long.</summary>
[AllowAnonymous]
public sealed class CatalogModel(CatalogStore catalog, IStringLocalizer<SharedResource> t) : PageModel
{
    public IReadOnlyList<CatalogItemInForce> Items { get; private set; } = [];

    public bool English => CultureInfo.CurrentUICulture.Name == "en";

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await catalog.InForceAsync(cancellationToken);

    public string DescribeDisplay(CatalogItem item)
    {
        var from = t["DisplayFrom." + item.Display.From];
        if (item.SeverityGrades.Count > 0 && item.Display.MonthsByGrade is { Count: > 0 })
        {
            return string.Join(t["Common.ListSeparator"], item.SeverityGrades.Select(g => $"{t["Grade." + g]}{t["Common.Colon"]}{Months(item.Display.MonthsFor(g))}")) + t["Common.Parenthesised", from];
        }
        return Months(item.Display.Months) + t["Common.Parenthesised", from];
    }

    public string DescribeRepair(CatalogItem item)
    {
        if (!item.Repair.Repairable)
        {
            return t["Repair.No"];
        }
        if (item.Repair.AfterMonthsByGrade is { Count: > 0 } byGrade)
        {
            return t["Repair.Yes"] + t["Common.Colon"] + string.Join(t["Common.ListSeparator"], byGrade.Select(g => $"{t["Grade." + g.Key]} {RepairAfter(g.Value)}"));
        }
        return item.Repair.AfterMonths is { } months ? t["Repair.Yes"] + t["Common.Colon"] + RepairAfter(months) : t["Repair.Yes"];
    }

    // No minimum period: the person may apply as soon as the record is shown.
    private string RepairAfter(int months) => months == 0 ? t["Repair.AnyTime"] : t["Repair.After", months];

    private string Months(int? months) => months switch
    {
        null => t["Display.WhileValid"],
        0 => t["Display.Never"],
        _ => t["Display.Months", months.Value],
    };
}
