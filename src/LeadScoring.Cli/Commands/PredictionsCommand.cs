using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using LeadScoring.Application.Configuration;
using LeadScoring.Application.Predictions;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore predictions export`: the prediction log of a time range as CSV or Parquet, with known outcomes joined.</summary>
internal static partial class PredictionsCommand
{
    public static Command Create() => new("predictions", "Read the prediction log")
    {
        Export(),
    };

    private static Command Export()
    {
        var from = Time("--from", "Start of the range, inclusive (ISO-8601, e.g. 2026-11-01 or 2026-11-01T08:00:00Z; UTC unless an offset is given)");
        var to = Time("--to", "End of the range, exclusive (ISO-8601)");
        var model = new Option<string?>("--model") { Description = "Only this model: NAME (every version), NAME@VERSION, NAME@ALIAS or NAME@production" };
        var output = new Option<string>("--out") { Description = "Output file (.csv or .parquet): one row per prediction, a column per feature, the known outcome", Required = true }
            .WithExtensions(".csv", ".parquet");
        var store = StoreOptions.Create();
        var command = new Command("export", "Write the predictions scored in [--from, --to) to CSV or Parquet: the log's columns, one column per feature, and the outcome known now") { from, to, model, output };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            var (start, end) = (result.GetValue(from), result.GetValue(to));
            if (end <= start)
            {
                throw new InvalidInputException($"--to ({Format(end)}) must be after --from ({Format(start)})");
            }

            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            RequireExistingLog(services.GetRequiredService<IOptions<StorageOptions>>().Value);
            var (name, version) = await ModelFilterAsync(result.GetValue(model), services, cancellationToken).ConfigureAwait(false);
            var path = result.GetValue(output)!;
            PredictionExportResult exported;
            try
            {
                exported = await ActivatorUtilities.CreateInstance<PredictionExport>(services)
                    .ExportAsync(new PredictionRange(start, end, name, version), path, cancellationToken).ConfigureAwait(false);
            }
            catch (PredictionExportException e)
            {
                throw new InvalidInputException(e.Message);
            }

            var scope = name is null ? "" : version is null ? $", {name}" : $", {name} v{version}";
            await stdout.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {exported.Rows:N0} predictions ({Format(start)} to {Format(end)}{scope}; {exported.Features.Count} feature columns; {exported.WithOutcome:N0} with a known outcome) to {path}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // NAME@VERSION needs no registry (the version may be gone from it); an alias or production is resolved there.
    private static async Task<(string? Name, int? Version)> ModelFilterAsync(string? reference, ServiceProvider services, CancellationToken cancellationToken)
    {
        if (reference is null)
        {
            return (null, null);
        }

        var (name, selector) = ModelReference.Split(reference);
        if (!RegistryNames.IsValidModelName(name))
        {
            throw new InvalidInputException($"--model '{reference}': '{name}' is not a model name");
        }

        if (!reference.Contains('@', StringComparison.Ordinal))
        {
            return (name, null);
        }

        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 ? (name, number) : throw new InvalidInputException($"--model '{reference}': a version is a whole number from 1");
        }

        var resolved = await ModelReference.ResolveAsync(services.GetRequiredService<IModelRegistry>(), reference, cancellationToken).ConfigureAwait(false);
        return (resolved.ModelName, resolved.Version);
    }

    /// <summary>Refuses a SQLite data directory without a prediction log: opening one creates it, and a read from a mistyped --data-dir would find it empty.</summary>
    internal static void RequireExistingLog(StorageOptions options)
    {
        var path = Path.Combine(options.DataDirectory, PredictionLogFactory.SqliteFileName);
        if (!options.UsesPostgres && !File.Exists(path))
        {
            throw new InvalidInputException($"no prediction log at {path}; check --data-dir or {EnvironmentVariables.DataDirectory}");
        }
    }

    private static Option<DateTimeOffset> Time(string name, string description)
    {
        var option = new Option<DateTimeOffset>(name) { Description = description, Required = true };
        option.CustomParser = r => Parse(r, name);
        return option;
    }

    private static DateTimeOffset Parse(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        // ISO-8601 only (a date first): "01/02/2026" would parse, as January or February depending on who reads it.
        if (IsoDate().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        result.AddError($"{name} must be an ISO-8601 time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z); got '{text}'");
        return default;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?:$|[T ])", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(time.UtcDateTime.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);
}
