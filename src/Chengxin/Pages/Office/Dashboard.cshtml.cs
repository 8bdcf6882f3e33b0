using System.Globalization;
using Chengxin.Dashboards;
using Chengxin.Pages.Shared;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Office;

/// <summary>The credit office's collection dashboard: every provider's submissions, rejections, revocations and timeliness.</summary>
public sealed class DashboardModel(DashboardService dashboards, IStringLocalizer<SharedResource> t) : PageModel
{
    public Dashboard? Data { get; private set; }

    public IReadOnlyList<BarChart> Charts { get; private set; } = [];

    public bool English => CultureInfo.CurrentUICulture.Name == "en";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Data = await dashboards.BuildAsync(null, cancellationToken);
        Charts = BarChart.For(Data, t);
    }
}
