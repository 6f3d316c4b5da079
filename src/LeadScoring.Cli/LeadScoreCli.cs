using System.CommandLine;
using LeadScoring.Cli.Commands;

namespace LeadScoring.Cli;

/// <summary>The `leadscore` command tree.</summary>
public static class LeadScoreCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Create() => new("leadscore: train, register, serve and score lead-scoring models")
    {
        SimulateCommand.Create(),
        TrainCommand.Create(),
        RegisterCommand.Create(),
        ModelsCommand.Create(),
        PromoteCommand.Create(),
        RollbackCommand.Create(),
        AliasCommand.Create(),
        ScoreCommand.Create(),
        ServeCommand.Create(),
        BackupCommand.Create(),
    };
}
