using Chengxin.Clients;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages.Audit;

/// <summary>The auditor's start: which systems may read and write, and since when. Query registrations come with the protection issue.</summary>
public sealed class IndexModel(ClientService clients) : PageModel
{
    public IReadOnlyList<ClientView> Clients { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Clients = await clients.ListAsync(cancellationToken);
}
