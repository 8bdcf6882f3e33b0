using System.ComponentModel.DataAnnotations;
using Chengxin.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using QRCoder;

namespace Chengxin.Pages.Account;

/// <summary>Enrolling the second factor after the first correct password: nobody uses the portal on a password alone.</summary>
[AllowAnonymous]
public sealed class EnrolModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Validation.CodeRequired")]
    [Display(Name = "TwoFactor.Code")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string Key { get; private set; } = "";

    public string QrSvg { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/SignIn");
        }
        if (user.TwoFactorEnabled)
        {
            return RedirectToPage("/Account/TwoFactor", new { ReturnUrl });
        }
        await LoadKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null || user.TwoFactorEnabled)
        {
            return RedirectToPage("/Account/SignIn");
        }
        if (ModelState.IsValid)
        {
            var code = Code.Replace(" ", "", StringComparison.Ordinal);
            if (await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            {
                await users.SetTwoFactorEnabledAsync(user, true);
                await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "mfa");
                return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
            }
            ModelState.AddModelError(string.Empty, t["TwoFactor.Refused"]);
        }
        await LoadKeyAsync(user);
        return Page();
    }

    private async Task LoadKeyAsync(PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        Key = key!;
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Chengxin:" + user.Email)}?secret={Key}&issuer=Chengxin&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        QrSvg = new SvgQRCode(data).GetGraphic(4);
    }
}
