namespace LeadScoring.Cli.Tests;

/// <summary>The CLI references the server only to host `serve`; everything else goes through the Application layer.</summary>
public sealed class LayeringTests
{
    [Fact]
    public void Only_the_serve_command_uses_a_server_namespace()
    {
        var cli = RepositoryPaths.File("src/LeadScoring.Cli");
        var sources = Directory.GetFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var users = sources.Where(f => File.ReadAllText(f).Contains("LeadScoring.Server", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(cli, f).Replace('\\', '/'))
            .ToList();

        Assert.Contains("Program.cs", sources.Select(Path.GetFileName));
        Assert.Equal(["Commands/ServeCommand.cs"], users);
        Assert.DoesNotContain("<Using Include=\"LeadScoring.Server", File.ReadAllText(Path.Combine(cli, "LeadScoring.Cli.csproj")), StringComparison.Ordinal);
    }
}
