using System.CommandLine;

namespace Chengxin.Cli;

/// <summary>The `chengxin` command line: every verb with its own --help.</summary>
public static class Commands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Chengxin (诚信): the provincial personal public credit information platform. With no verb it runs the platform.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        ServeCommand.Configure(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DatabaseCommands.Create());
        root.Subcommands.Add(IdCommands.Create());
        root.Subcommands.Add(OrganisationCommands.Create());
        root.Subcommands.Add(ClientCommands.Create());
        root.Subcommands.Add(AccountCommands.Create());
        root.Subcommands.Add(CalendarCommands.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ReceiverCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(KeyCommands.Create());
        root.Subcommands.Add(BlacklistCommands.Create());
        root.Subcommands.Add(RetentionCommands.Create());
        root.Subcommands.Add(SeedCommand.Create());
        return root;
    }
}
