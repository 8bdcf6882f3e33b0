using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Chengxin.Accounts;

/// <summary>
/// Sensitive actions (granting access to one's credit data, unmasking a number) need a recent
/// sign-in: a form posted more than <c>Sessions:ReauthenticateSeconds</c> (15 minutes) after the
/// sign-in sends the person to sign in again, then back to the page.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequireRecentSignInAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var maxAge = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<IConfiguration>().GetValue("Sessions:ReauthenticateSeconds", 900));
            var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (AccountServices.SignedInAt(session.Properties) is not { } signedIn || DateTimeOffset.UtcNow - signedIn > maxAge)
            {
                context.Result = new RedirectToPageResult("/Account/SignIn", new { ReturnUrl = http.Request.Path.Value, Reauthenticate = true });
                return;
            }
        }
        await next();
    }
}
