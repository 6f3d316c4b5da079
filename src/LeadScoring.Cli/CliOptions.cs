using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LeadScoring.Cli;

/// <summary>
/// Options whose values are parsed and range-checked while the command line is parsed, so a bad value is a parse
/// error (exit 1, the option named) and a command's action only ever sees valid values.
/// </summary>
/// <remarks>
/// The parsing is done in a custom parser on purpose: a validator that reads an option's value
/// (<c>GetValueOrDefault</c>) throws when the text did not convert ("abc" for a number), and as validators run
/// inside <c>Parse</c>, outside any action's error handling, that exception aborted the process (exit 134).
/// </remarks>
internal static class CliOptions
{
    /// <summary>A record's id (an alert, a silence, a run: a positive whole number), checked while parsing.</summary>
    public static Argument<long> IdArgument(string what)
    {
        var id = new Argument<long>("id") { Description = $"The {what}'s id" };
        id.CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? "" : r.Tokens[0].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
            {
                return value;
            }

            r.AddError($"<id> must be {(what.StartsWith('a') ? "an" : "a")} {what} id (a positive whole number); got '{text}'");
            return 0;
        };
        return id;
    }

    /// <summary>A name option (rule, subject, model) that must not be blank when given.</summary>
    public static Option<string?> NameOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && string.IsNullOrWhiteSpace(r.Tokens[0].Value))
            {
                r.AddError($"{name} must not be blank");
            }
        });
        return option;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Int(string name, string description, int min, int max, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>A required whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> RequiredInt(string name, string description, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, Required = true };
        option.CustomParser = r => ParseInt(r, name, min, max) ?? 0;
        return option;
    }

    /// <summary>An optional whole number in [<paramref name="min"/>, <paramref name="max"/>]; null when not given.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max)
    {
        var option = new Option<int?>(name) { Description = description };
        option.CustomParser = r => ParseInt(r, name, min, max);
        return option;
    }

    /// <summary>An optional number in the range <paramref name="rule"/> describes; null when not given.</summary>
    public static Option<double?> OptionalDouble(string name, string description, Func<double, bool> inRange, string rule)
    {
        var option = new Option<double?>(name) { Description = description };
        option.CustomParser = r => ParseDouble(r, name, inRange, rule);
        return option;
    }

    /// <summary>A number in the range <paramref name="rule"/> describes.</summary>
    public static Option<double> Double(string name, string description, Func<double, bool> inRange, string rule, double defaultValue)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = r => ParseDouble(r, name, inRange, rule) ?? defaultValue;
        return option;
    }

    /// <summary>Refuses an output path whose extension is not one of <paramref name="extensions"/> (e.g. ".csv").</summary>
    public static Option<string> WithExtensions(this Option<string> option, params string[] extensions)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && !extensions.Any(e => r.Tokens[0].Value.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                r.AddError($"{option.Name} '{r.Tokens[0].Value}' must end in {string.Join(" or ", extensions)}");
            }
        });
        return option;
    }

    private static int? ParseInt(ArgumentResult result, string name, int min, int max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var rule = min == 1 ? $"a positive number (a whole number up to {max})" : $"a whole number from {min} to {max}";
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {rule}; got '{text}'"));
            return null;
        }

        return value;
    }

    private static double? ParseDouble(ArgumentResult result, string name, Func<double, bool> inRange, string rule)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || !inRange(value))
        {
            result.AddError($"{name} must be a number {rule}; got '{text}'");
            return null;
        }

        return value;
    }
}
