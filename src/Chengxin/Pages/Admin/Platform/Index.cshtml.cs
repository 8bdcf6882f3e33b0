using Chengxin.Clients;
using Chengxin.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages.Admin.Platform;

/// <summary>The system administrator's page: organisations and the systems that sign in for them. Every change is audited.</summary>
public sealed class IndexModel(OrganisationService organisations, ClientService clients) : PageModel
{
    public IReadOnlyList<OrganisationView> Organisations { get; private set; } = [];

    public IReadOnlyList<ClientView> Clients { get; private set; } = [];

    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>A new system's credentials: shown once, never stored in the clear.</summary>
    public ClientCredentials? Issued { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostOrganisationAsync(string code, string name, string kind, string? provides, bool uses, CancellationToken cancellationToken)
    {
        var items = (provides ?? "").Split([',', ' ', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        (_, Problems) = await organisations.RegisterAsync(new OrganisationRegistration(code ?? "", name, null, kind, items, uses), cancellationToken);
        return await AfterAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostClientAsync(string name, string organisation, string[] scopes, CancellationToken cancellationToken)
    {
        (Issued, Problems) = await clients.AddAsync(name ?? "", organisation ?? "", scopes, cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!await clients.RevokeAsync(clientId ?? "", Chengxin.Audit.Actors.Of(User), cancellationToken))
        {
            Problems = ["No such system, or it is already revoked."];
        }
        return await AfterAsync(cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(CancellationToken cancellationToken)
    {
        if (Problems.Count == 0)
        {
            return RedirectToPage();
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Organisations = await organisations.ListAsync(cancellationToken);
        Clients = await clients.ListAsync(cancellationToken);
    }
}
