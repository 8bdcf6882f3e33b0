using System.CommandLine;
using System.Security.Cryptography;
using Chengxin.Accounts;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Cli;

/// <summary><c>chengxin accounts add|code</c>: portal accounts.</summary>
public static class AccountCommands
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The person's e-mail address (their sign-in name).", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}.", Required = true };
        var name = new Option<string>("--name") { Description = "The person's display name.", Required = true };
        var org = new Option<string?>("--org") { Description = "The unified social credit code of their organisation (staff roles)." };
        var add = new Command("add", "Create a portal account; prints a one-time password to change. The second factor is set up at first sign-in.") { email, role, name, org };
        add.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var chosenRole = parse.GetValue(role)!;
            if (!Roles.All.Contains(chosenRole))
            {
                return PlatformCommand.Fail([$"--role: '{chosenRole}' is not one of {string.Join(", ", Roles.All)}."]);
            }
            Guid? organisationId = null;
            if (parse.GetValue(org) is { } code)
            {
                var (organisation, problem) = await services.GetRequiredService<OrganisationService>().FindByCodeAsync(code, ct);
                if (organisation is null)
                {
                    return PlatformCommand.Fail([problem!]);
                }
                organisationId = organisation.Id;
            }
            var users = services.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = parse.GetValue(email), Email = parse.GetValue(email), DisplayName = parse.GetValue(name)!, OrganisationId = organisationId };
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15));
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return PlatformCommand.Fail(created.Errors.Select(e => e.Description));
            }
            await users.AddToRoleAsync(user, chosenRole);
            PlatformCommand.Print(new { email = user.Email, role = chosenRole, oneTimePassword = password });
            return 0;
        }, cancellationToken));

        var who = new Argument<string>("email") { Description = "A synthetic demo account's e-mail address." };
        var code = new Command("code", "Print the current sign-in code of a synthetic demo account (never of a real one).") { who };
        code.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, _) =>
        {
            var key = await services.GetRequiredService<DemoAccounts>().SyntheticKeyAsync(parse.GetValue(who)!);
            if (key is null)
            {
                return PlatformCommand.Fail([$"{parse.GetValue(who)} is not a synthetic demo account."]);
            }
            Console.WriteLine(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow));
            return 0;
        }, cancellationToken));
        return new Command("accounts", "Portal accounts.") { add, code };
    }
}
