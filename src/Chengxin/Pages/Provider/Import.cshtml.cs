using System.Globalization;
using Chengxin.Catalog;
using Chengxin.Data;
using Chengxin.Imports;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Provider;

public sealed record ProvidedItem(string Code, string Name);

/// <summary>A provider operator uploads a CSV or XLSX file, watches its import, and downloads the rejected rows.</summary>
[RequestSizeLimit(600L * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 600L * 1024 * 1024)]
public sealed class ImportModel(ChengxinDb db, UserManager<PortalUser> users, CatalogStore catalog, ImportJobs jobs, IStringLocalizer<SharedResource> t) : PageModel
{
    public IReadOnlyList<ProvidedItem> Items { get; private set; } = [];

    public IReadOnlyList<Submission> Jobs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await OrganisationAsync() is not { } organisationId)
        {
            return Forbid();
        }
        await LoadAsync(organisationId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, string? item, CancellationToken cancellationToken)
    {
        if (await OrganisationAsync() is not { } organisationId)
        {
            return Forbid();
        }
        await LoadAsync(organisationId, cancellationToken);
        if (item is null || Items.All(i => i.Code != item))
        {
            ModelState.AddModelError("item", t["Import.ChooseItem"]);
        }
        var extension = Path.GetExtension(file?.FileName ?? "").ToUpperInvariant();
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", t["Import.ChooseFile"]);
        }
        else if (extension is not (".CSV" or ".XLSX"))
        {
            ModelState.AddModelError("file", t["Import.WrongType"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await using var content = file!.OpenReadStream();
        await jobs.AcceptAsync(organisationId, item!, file.FileName, content, cancellationToken);
        return RedirectToPage();
    }

    /// <summary>The rejected rows of one of the operator's own organisation's imports; anyone else's is 404.</summary>
    public async Task<IActionResult> OnGetRejectedAsync(Guid id, CancellationToken cancellationToken)
    {
        var organisationId = await OrganisationAsync();
        var job = await db.Submissions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.ProviderId == organisationId && s.Channel == SubmissionChannel.File, cancellationToken);
        var path = job is null ? null : jobs.RejectedFile(job.Id);
        if (path is null || !System.IO.File.Exists(path))
        {
            return NotFound();
        }
        return PhysicalFile(path, "text/csv; charset=utf-8", Path.GetFileNameWithoutExtension(job!.FileName) + ".rejected.csv");
    }

    private async Task<Guid?> OrganisationAsync() => (await users.GetUserAsync(User))?.OrganisationId;

    private async Task LoadAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var english = CultureInfo.CurrentUICulture.Name == "en";
        var provided = await db.OrganisationItems.AsNoTracking().Where(i => i.OrganisationId == organisationId).Select(i => i.ItemCode).ToListAsync(cancellationToken);
        Items = (await catalog.InForceAsync(cancellationToken)).Where(i => provided.Contains(i.Item.Code))
            .DistinctBy(i => i.Item.Code).Select(i => new ProvidedItem(i.Item.Code, i.Item.Name.In(english))).ToList();
        Jobs = await db.Submissions.AsNoTracking().Where(s => s.ProviderId == organisationId && s.Channel == SubmissionChannel.File)
            .OrderByDescending(s => s.ReceivedAt).Take(20).ToListAsync(cancellationToken);
    }
}
