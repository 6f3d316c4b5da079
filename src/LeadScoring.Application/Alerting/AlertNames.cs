using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// The names alerts' enumerations have on the wire and on the command line (lower case, snake_case), and their
/// parsing: the API's query parameters and the CLI's options accept exactly these.
/// </summary>
public static class AlertNames
{
    /// <summary>firing, resolved.</summary>
    public static IReadOnlyList<string> States { get; } = Names<AlertState>();

    /// <summary>info, warning, critical.</summary>
    public static IReadOnlyList<string> Levels { get; } = Names<AlertLevel>();

    /// <summary>The wire name of a value: "firing", "critical", "trigger", "pending".</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Parses a state name; false for anything but <see cref="States"/> (case-sensitive, like every other name of the API).</summary>
    public static bool TryParseState(string? text, out AlertState state) => TryParse(text, out state);

    /// <summary>Parses a level name; false for anything but <see cref="Levels"/>.</summary>
    public static bool TryParseLevel(string? text, out AlertLevel level) => TryParse(text, out level);

    private static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string[] Names<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(v => Of(v))];
}
