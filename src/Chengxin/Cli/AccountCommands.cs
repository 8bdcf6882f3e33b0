using System.CommandLine;
using Chengxin.Accounts;
using Chengxin.Audit;

namespace Chengxin.Cli;

/// <summary><c>chengxin accounts add|grant|code</c>: portal accounts.</summary>
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
            var (account, problems) = await services.GetRequiredService<AccountService>().CreateAsync(
                parse.GetValue(email)!, parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(org), Actors.CommandLine, ct);
            if (account is null)
            {
                return PlatformCommand.Fail(problems);
            }
            PlatformCommand.Print(new { email = account.Email, role = account.Role, oneTimePassword = account.OneTimePassword });
            return 0;
        }, cancellationToken));

        var grantee = new Option<string>("--email") { Description = "The account's e-mail address.", Required = true };
        var granted = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}.", Required = true };
        var grant = new Command("grant", "Give an account another role; an administrator's account holds one role only.") { grantee, granted };
        grant.SetAction((parse, cancellationToken) => PlatformCommand.RunAsync(parse, async (services, ct) =>
        {
            var problem = await services.GetRequiredService<AccountService>().GrantRoleAsync(parse.GetValue(grantee)!, parse.GetValue(granted)!, Actors.CommandLine, ct);
            if (problem is not null)
            {
                return PlatformCommand.Fail([problem]);
            }
            Console.WriteLine($"{parse.GetValue(grantee)} now holds {parse.GetValue(granted)}.");
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
        return new Command("accounts", "Portal accounts.") { add, grant, code };
    }
}
