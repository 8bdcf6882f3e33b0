using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chengxin.Accounts;
using Chengxin.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Chengxin.Pages.Account;

/// <summary>
/// First step of signing in: the password. Every failure (unknown e-mail, wrong password, locked
/// account) gets the same answer, so the page never tells whether an account exists.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    IPasswordHasher<PortalUser> hasher,
    GovernmentIdentityOptions government,
    IStringLocalizer<SharedResource> t) : PageModel
{
    // Verified against when the e-mail is unknown, so both paths cost the same time.
    private static readonly PortalUser Nobody = new() { DisplayName = "" };
    private static string? _nobodyHash;

    [BindProperty]
    [Required(ErrorMessage = "Validation.EmailRequired")]
    [EmailAddress(ErrorMessage = "Validation.EmailFormat")]
    [Display(Name = "SignIn.Email")]
    public string Email { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Validation.PasswordRequired")]
    [Display(Name = "SignIn.Password")]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Sent back here by a sensitive action that needs a recent sign-in.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Reauthenticate { get; set; }

    public bool GovernmentEnabled => government.Enabled;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Email);
        if (user is null)
        {
            _nobodyHash ??= hasher.HashPassword(Nobody, "not a password");
            hasher.VerifyHashedPassword(Nobody, _nobodyHash, Password);
            return Refuse();
        }
        var result = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            return Refuse();
        }
        // The password alone never signs in: the second factor follows, or its enrolment.
        await HttpContext.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Id.ToString())], IdentityConstants.TwoFactorUserIdScheme)));
        var next = user.TwoFactorEnabled ? "/Account/TwoFactor" : "/Account/Enrol";
        return RedirectToPage(next, new { ReturnUrl = SafeReturnUrl(ReturnUrl) });
    }

    public IActionResult OnPostGovernment()
    {
        if (!government.Enabled)
        {
            return NotFound();
        }
        var properties = signIn.ConfigureExternalAuthenticationProperties(AccountSetup.GovernmentScheme, Url.Page("/Account/External", new { ReturnUrl = SafeReturnUrl(ReturnUrl) }));
        return Challenge(properties, AccountSetup.GovernmentScheme);
    }

    private PageResult Refuse()
    {
        ModelState.AddModelError(string.Empty, t["SignIn.Refused"]);
        return Page();
    }

    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] != '/' && url[1] != '\\' ? url : "/";
}
