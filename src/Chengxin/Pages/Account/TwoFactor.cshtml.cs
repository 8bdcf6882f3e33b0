using System.ComponentModel.DataAnnotations;
using Chengxin.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Account;

/// <summary>Second step of signing in: the 6-digit code of the person's authenticator (TOTP).</summary>
[AllowAnonymous]
public sealed class TwoFactorModel(SignInManager<PortalUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Validation.CodeRequired")]
    [Display(Name = "TwoFactor.Code")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToPage("/Account/SignIn");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, t["TwoFactor.Refused"]);
            return Page();
        }
        return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
    }
}
