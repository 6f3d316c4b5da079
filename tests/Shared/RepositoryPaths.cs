namespace LeadScoring.Tests.Shared;

/// <summary>
/// Finds files in the repository, and in the shared data folder beside it (../shared), from a test's bin
/// folder. Linked into every test project.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the repository.</summary>
    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>A file under ../shared (data the tests read but the repository must not contain); fails clearly when absent.</summary>
    public static string Shared(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", relative));
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException($"shared test data '{relative}' not found at ../shared/{relative} beside the repository", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "LeadScoring.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LeadScoring.slnx not found above the test folder");
    }
}
