using System.Security.Claims;
using Chengxin.Accounts;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Subjects;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Chengxin.Pages.Account;

/// <summary>
/// The return from the government's identity platform. A person it vouches for (with their resident
/// ID number) signs in as the subject of that number, their account made on first use; the platform
/// already checked them strongly, so no second factor is asked here.
/// </summary>
[AllowAnonymous]
public sealed class ExternalModel(
    SignInManager<PortalUser> signIn,
    UserManager<PortalUser> users,
    SubjectRegistry subjects,
    ChengxinDb db,
    GovernmentIdentityOptions government,
    TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return RedirectToPage("/Account/SignIn");
        }
        var target = SignInModel.SafeReturnUrl(returnUrl);
        var known = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (known.Succeeded)
        {
            return LocalRedirect(target);
        }
        var number = info.Principal.FindFirstValue(government.IdNumberClaim);
        var name = info.Principal.FindFirstValue(government.NameClaim);
        var check = ResidentIdNumber.Check(number, Calendar.ChinaTime.Today(clock));
        if (!check.IsValid || string.IsNullOrWhiteSpace(name))
        {
            return Page();
        }
        var subject = await subjects.FindOrAddAsync(IdType.ResidentId, check.Normalised!, name, synthetic: false, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var user = users.Users.SingleOrDefault(u => u.SubjectId == subject.Id);
        if (user is null)
        {
            var userName = $"subject-{subject.Id:N}";
            user = new PortalUser { UserName = userName, DisplayName = Masking.Name(name), SubjectId = subject.Id };
            if (!(await users.CreateAsync(user)).Succeeded || !(await users.AddToRoleAsync(user, Roles.Subject)).Succeeded)
            {
                return Page();
            }
        }
        await users.AddLoginAsync(user, info);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: info.LoginProvider);
        return LocalRedirect(target);
    }
}
