using System.CommandLine;
using System.Globalization;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore outcomes import`: records what happened to leads from a CRM export, with the rules and idempotency of POST /outcomes.</summary>
internal static class OutcomesCommand
{
    /// <summary>Outcomes per transaction: large for speed, short enough (a fraction of a second) that the prediction log's writes never wait long.</summary>
    public const int OutcomesPerTransaction = 50_000;

    private const string SourcePrefix = "import:";

    public static Command Create() => new("outcomes", "Record what happened to scored leads") { CreateImport() };

    private static Command CreateImport()
    {
        var data = new Option<string>("--data") { Description = "The CRM export (.csv or .parquet)", Required = true };
        var schema = new Option<string>("--schema")
        {
            Description = "Schema file naming the export's id, label (with positive/negative values), revenue and timestamp columns (features are not read)",
            Required = true,
        };
        var occurredAt = new Option<string?>("--occurred-at") { Description = "When every row's outcome occurred (ISO 8601 with an offset, e.g. 2026-03-01T09:30:00Z); default: the schema's timestamp column" };
        var source = new Option<string?>("--source") { Description = "Recorded as each outcome's source, import:NAME (default: the file's name)" };
        var store = StoreOptions.Create();

        var command = new Command(
            "import",
            "Import outcomes from a CSV or Parquet file. Same rules as POST /outcomes; every row is checked first and a file with any bad row writes nothing. " +
            "Importing a file again changes nothing; a different outcome for a lead replaces its current one (kept in the lead's history).")
        {
            data, schema, occurredAt, source,
        };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, stderr) =>
        {
            await using var services = CliHost.Build(result, store);
            var time = services.GetRequiredService<TimeProvider>();
            var started = time.GetTimestamp();
            var path = result.GetValue(data)!;
            var leadSchema = SchemaFiles.Load(result.GetValue(schema)!);
            var now = time.GetUtcNow();
            var at = ParseOccurredAt(result.GetValue(occurredAt), now);
            var name = result.GetValue(source);
            if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > OutcomeValidation.MaxSourceLength - SourcePrefix.Length))
            {
                throw new InvalidInputException($"--source must be 1 to {OutcomeValidation.MaxSourceLength - SourcePrefix.Length} characters; got {name.Length}");
            }

            var recordedAs = SourcePrefix + (name?.Trim() ?? Path.GetFileName(path));

            var file = OutcomeFile.Read(path, leadSchema, at, now, OutcomeTimes.DefaultClockSkew);
            if (file.ErrorCount > 0)
            {
                await stderr.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"error: {path} has {file.ErrorCount} problem{(file.ErrorCount == 1 ? "" : "s")} in {file.Rows:N0} rows; nothing was imported")).ConfigureAwait(false);
                foreach (var problem in file.Errors)
                {
                    await stderr.WriteLineAsync("  " + problem).ConfigureAwait(false);
                }

                if (file.ErrorCount > file.Errors.Count)
                {
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {file.ErrorCount - file.Errors.Count} more")).ConfigureAwait(false);
                }

                return ExitCodes.InvalidInput;
            }

            var outcomes = services.GetRequiredService<OutcomeStore>();
            int added = 0, replaced = 0, unchanged = 0;
            foreach (var chunk in file.Outcomes.Chunk(OutcomesPerTransaction))
            {
                var written = await outcomes.RecordAsync(chunk, recordedAs, cancellationToken).ConfigureAwait(false);
                (added, replaced, unchanged) = (added + written.New, replaced + written.Replaced, unchanged + written.Unchanged);
            }

            var leads = file.Outcomes.Select(o => o.LeadId).Distinct(StringComparer.Ordinal).ToList();
            var matched = await services.GetRequiredService<FeedbackReader>().CountScoredAsync(leads, cancellationToken).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            await stdout.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"imported {file.Rows:N0} rows from {path} in {elapsed.TotalSeconds:F2} s ({file.Rows / Math.Max(elapsed.TotalSeconds, 1e-9):N0} rows/s): " +
                $"{added:N0} new, {replaced:N0} replaced, {unchanged:N0} unchanged; {leads.Count:N0} leads: {matched:N0} matched (scored), {leads.Count - matched:N0} unmatched")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static DateTimeOffset? ParseOccurredAt(string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            return null;
        }

        if (!OutcomeTimes.TryParse(text, out var at, out var problem))
        {
            throw new InvalidInputException($"--occurred-at {problem}");
        }

        return OutcomeTimes.Problem(at, now, OutcomeTimes.DefaultClockSkew) is { } future
            ? throw new InvalidInputException($"--occurred-at {future}")
            : at;
    }
}
