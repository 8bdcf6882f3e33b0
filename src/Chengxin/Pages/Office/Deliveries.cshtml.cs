using Chengxin.Exchange;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages.Office;

/// <summary>Per-receiver delivery status, so the credit office knows a correction reached everyone who had the record.</summary>
public sealed class DeliveriesModel(ReceiverService receivers) : PageModel
{
    public IReadOnlyList<ReceiverView> Receivers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Receivers = await receivers.ListAsync(cancellationToken);
}
