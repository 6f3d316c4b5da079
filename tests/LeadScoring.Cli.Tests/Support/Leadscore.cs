using System.CommandLine;

namespace LeadScoring.Cli.Tests.Support;

/// <summary>Runs `leadscore` in process, capturing what it prints and its exit code.</summary>
internal static class Leadscore
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await LeadScoreCli.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}

/// <summary>A scratch folder per test.</summary>
public sealed class Scratch : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("leadscore-cli-").FullName;

    public string this[string name] => Path.Combine(Root, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, true);
    }
}
