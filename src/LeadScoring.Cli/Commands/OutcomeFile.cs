using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Data;
using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Cli.Commands;

/// <summary>A CRM export read as outcomes: the records of the good rows, and every bad row named by row and column.</summary>
/// <param name="Outcomes">One record per row, in file order (when <see cref="ErrorCount"/> is 0).</param>
/// <param name="Rows">Data rows read.</param>
/// <param name="Errors">The first <see cref="OutcomeFile.MaxErrorsListed"/> problems: "row 17, column 'converted': …".</param>
/// <param name="ErrorCount">Problems found in all.</param>
internal sealed record OutcomeFileContents(List<OutcomeRecord> Outcomes, long Rows, List<string> Errors, long ErrorCount);

/// <summary>
/// Reads outcomes from a CRM export described by a lead schema: the lead id from its <c>id</c> column, converted
/// from its <c>label</c> column and <c>positive</c> / <c>negative</c> values, revenue from its <c>revenue</c> column
/// (none when the schema or the file has none; empty or 0 on a lost lead means none), occurred-at from its
/// <c>timestamp</c> column or one time for every row. The rules are POST /outcomes' own
/// (<see cref="OutcomeValidation"/>, <see cref="OutcomeTimes"/>). The whole file is read and checked before
/// anything is written; rows are numbered from 1 after the header, as in training errors.
/// </summary>
internal static class OutcomeFile
{
    /// <summary>Problems listed in full; the rest are counted.</summary>
    public const int MaxErrorsListed = 20;

    private const int Id = 0;
    private const int Label = 1;
    private const int Revenue = 2;
    private const int Timestamp = 3;

    public static OutcomeFileContents Read(string path, LeadSchema schema, DateTimeOffset? occurredAt, DateTimeOffset now, TimeSpan clockSkew)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var idColumn = schema.Id ?? throw new InvalidInputException($"schema '{schema.Name}' names no id column; outcomes are matched to scores by lead id, so the schema needs \"id\"");
        if (occurredAt is null && schema.Timestamp is null)
        {
            throw new InvalidInputException($"schema '{schema.Name}' names no timestamp column; give --occurred-at for every row's time");
        }

        var names = new[] { idColumn, schema.Label, schema.Revenue ?? "", schema.Timestamp ?? "" };
        var outcomes = new List<OutcomeRecord>();
        var errors = new List<string>();
        long errorCount = 0;
        string? otherLabel = null;
        long row = 0;

        void Bad(int column, string problem, string? raw)
        {
            if (errors.Count < MaxErrorsListed)
            {
                var got = string.IsNullOrWhiteSpace(raw) ? "" : $" (got '{(raw.Length > 40 ? raw[..40] + "…" : raw)}')";
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"row {row}, column '{names[column]}': {problem}{got}"));
            }

            errorCount++;
        }

        foreach (var fields in LeadFile.ReadFields(path, schema.Delimiter, header => Positions(header, schema, occurredAt is null, path)))
        {
            row++;
            var before = errorCount;
            var leadId = fields[Id] is { } id && !schema.IsMissing(id) ? id.Trim() : null;
            if (leadId is null)
            {
                Bad(Id, "is empty; every outcome needs a lead id", null);
            }

            var converted = ParseLabel(fields[Label], schema, ref otherLabel, out var labelProblem);
            if (labelProblem is not null)
            {
                Bad(Label, labelProblem, fields[Label]);
            }

            double? revenue = null;
            if (fields[Revenue] is { } rawRevenue && !schema.IsMissing(rawRevenue))
            {
                if (!FieldParser.TryParseNumber(rawRevenue, out var amount))
                {
                    Bad(Revenue, "is not a finite number", rawRevenue);
                }
                else if (converted != false || amount != 0)
                {
                    // A lost lead's 0 is how exports say "no revenue"; anything else on a lost lead is refused below.
                    revenue = amount;
                }
            }

            var at = occurredAt ?? default;
            if (occurredAt is null)
            {
                if (!OutcomeTimes.TryParse(fields[Timestamp], out at, out var timeProblem))
                {
                    Bad(Timestamp, timeProblem, null);
                }
                else if (OutcomeTimes.Problem(at, now, clockSkew) is { } future)
                {
                    Bad(Timestamp, future, null);
                }
            }

            var outcome = new OutcomeRecord(leadId ?? "-", converted ?? true, revenue, at);
            foreach (var (field, problem) in OutcomeValidation.Problems(outcome))
            {
                if (field == "revenue")
                {
                    Bad(Revenue, problem, fields[Revenue]);
                }
                else if (leadId is not null)
                {
                    Bad(Id, problem, null);
                }
            }

            if (errorCount == before)
            {
                outcomes.Add(outcome);
            }
        }

        return new OutcomeFileContents(outcomes, row, errors, errorCount);
    }

    // Where the id, label, revenue (optional) and timestamp (when read from the file) are in the header.
    private static int[] Positions(IReadOnlyList<string> header, LeadSchema schema, bool readTimestamp, string path)
    {
        var columns = new HeaderColumns(header);
        int Find(string column, string role) => columns.Require(column, role, schema, Path.GetFileName(path));

        return
        [
            Find(schema.Id!, "the lead id"),
            Find(schema.Label, "the label: converted or not"),
            schema.Revenue is { } revenue ? columns.IndexOf(revenue) : -1,
            readTimestamp ? Find(schema.Timestamp!, "the timestamp: when the outcome occurred") : -1,
        ];
    }

    // Converted from the label's positive and negative values; without a negative list, the one other value the
    // file uses (a second one is refused: the label must be binary, as in training).
    private static bool? ParseLabel(string? raw, LeadSchema schema, ref string? otherLabel, out string? problem)
    {
        problem = null;
        if (raw is null || schema.IsMissing(raw))
        {
            problem = "is missing; every outcome needs converted or not";
            return null;
        }

        if (schema.IsPositive(raw))
        {
            return true;
        }

        var positive = string.Join(", ", schema.Positive);
        if (schema.Negative is { } negative)
        {
            if (schema.IsNegative(raw))
            {
                return false;
            }

            problem = $"is neither a positive ({positive}) nor a negative ({string.Join(", ", negative)}) label value";
            return null;
        }

        otherLabel ??= raw.Trim();
        if (string.Equals(otherLabel, raw.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        problem = $"is neither a positive value ({positive}) nor '{otherLabel}', the file's other label value (the label must be binary)";
        return null;
    }
}
