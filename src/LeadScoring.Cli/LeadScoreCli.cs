using System.CommandLine;
using LeadScoring.Cli.Commands;

namespace LeadScoring.Cli;

/// <summary>The `leadscore` command tree.</summary>
public static class LeadScoreCli
{
    /// <summary>Builds the root command with every subcommand; every command's help ends with the exit codes.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("leadscore: train, register, serve and score lead-scoring models")
        {
            SimulateCommand.Create(),
            TrainCommand.Create(),
            PackageCommand.Create(),
            RegisterCommand.Create(),
            ModelsCommand.Create(),
            PromoteCommand.Create(),
            RollbackCommand.Create(),
            AliasCommand.Create(),
            ScoreCommand.Create(),
            ServeCommand.Create(),
            BackupCommand.Create(),
        };
        AppendExitCodes(root);
        return root;
    }

    private static void AppendExitCodes(Command command)
    {
        command.Description += Environment.NewLine + Environment.NewLine + ExitCodes.Help;
        foreach (var sub in command.Subcommands)
        {
            AppendExitCodes(sub);
        }
    }
}
