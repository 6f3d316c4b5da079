using System.Reflection;

namespace LeadScoring.Modeling.Training;

/// <summary>The git commit the running code was built from (the SDK stamps it into the informational version).</summary>
public static class CodeVersion
{
    /// <summary>The commit hash, or "unknown" when the build had no git information.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        return plus >= 0 ? version![(plus + 1)..] : "unknown";
    }
}
