using System.CommandLine;
using System.CommandLine.Invocation;
using LeadScoring.Cli.Commands;

namespace LeadScoring.Cli;

/// <summary>The `leadscore` command tree.</summary>
public static class LeadScoreCli
{
    /// <summary>
    /// Parses a command line. A mistake in it prints what is wrong and how to get help, not the whole help text
    /// (which buried the one line that mattered), nor its typo suggestions (which offered "-h" for "sim").
    /// </summary>
    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var result = Create().Parse(args);
        if (result.Action is ParseErrorAction onError)
        {
            onError.ShowHelp = false;
            onError.ShowTypoCorrections = false;
        }

        return result;
    }

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
            DriftCommand.Create(),
            InvestigateCommand.Create(),
            PredictionsCommand.Create(),
            LeadsCommand.Create(),
            ServeCommand.Create(),
            BackupCommand.Create(),
            OutcomesCommand.Create(),
            DeployCommand.Create(),
            AlertsCommand.Create(),
            RetrainCommand.Create(),
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
