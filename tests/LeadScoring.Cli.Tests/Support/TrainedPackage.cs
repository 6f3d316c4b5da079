using System.CommandLine;

namespace LeadScoring.Cli.Tests.Support;

/// <summary>One small package folder and a file of leads to score, made once for a test class by `leadscore` itself.</summary>
public sealed class TrainedPackage : IDisposable
{
    private readonly Scratch _dir = new();

    public TrainedPackage()
    {
        Run("simulate", "--rows", "1500", "--seed", "1", "--out", _dir["train.csv"]);
        Run("simulate", "--rows", "200", "--seed", "3", "--out", Leads);
        Run("train", "--data", _dir["train.csv"], "--schema", RepositoryPaths.File("schemas/simulated-leads.json"), "--out", Folder, "--iterations", "30");
    }

    /// <summary>The package folder (simulated-leads schema).</summary>
    public string Folder => _dir["pkg"];

    /// <summary>200 simulated leads, labelled.</summary>
    public string Leads => _dir["leads.csv"];

    public void Dispose() => _dir.Dispose();

    private static void Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = LeadScoreCli.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        if (exit != 0)
        {
            throw new InvalidOperationException($"leadscore {string.Join(' ', args)} failed ({exit}): {error}");
        }
    }
}
