using System.Globalization;
using System.Text;
using LeadScoring.Cli.Tests.Support;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Storage;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>
/// `leadscore outcomes import` in process, on a real SQLite store: counts, idempotent re-import, --occurred-at,
/// bad rows named by row and column with nothing written, Parquet, and a 1,000,000-row file.
/// </summary>
public sealed class OutcomesImportTests : IDisposable
{
    // The lead schema's columns: id lead_id, label converted (1/0), timestamp created_at, revenue revenue.
    private static readonly string Schema = RepositoryPaths.File("schemas/simulated-leads.json");

    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => _dir["data"];

    private StorageOptions Store => new() { DataDirectory = Data };

    private string WriteCsv(string name, params string[] rows)
    {
        File.WriteAllText(_dir[name], "lead_id,created_at,converted,revenue,lead_source\n" + string.Join("\n", rows) + "\n");
        return _dir[name];
    }

    private Task<(int Exit, string Out, string Err)> ImportAsync(string file, params string[] more) =>
        Leadscore.RunAsync(["outcomes", "import", "--data", file, "--schema", Schema, "--data-dir", Data, .. more]);

    private async Task<IReadOnlyList<StoredOutcome>> HistoryAsync(string lead)
    {
        await using var outcomes = OutcomeStoreFactory.Create(Store);
        return await outcomes.GetHistoryAsync(lead);
    }

    private async Task<OutcomeSummary> SummaryAsync()
    {
        await using var outcomes = OutcomeStoreFactory.Create(Store);
        return await outcomes.GetSummaryAsync();
    }

    private async Task ScoreAsync(params string[] leads)
    {
        await using var log = PredictionLogFactory.Create(Store);
        await log.AppendAsync([.. leads.Select(l => new PredictionRecord("cli-test", l, new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), "lead-scoring", 1, ServingArms.Champion, 0.5, "warm", 10, "{}"))]);
    }

    [Fact]
    public async Task An_export_is_imported_with_its_counts_and_matched_leads_and_again_changes_nothing()
    {
        await ScoreAsync("crm-1", "crm-3");
        var file = WriteCsv(
            "crm.csv",
            "crm-1,2026-01-05T10:00:00Z,1,250.5,web",
            "crm-2,2026-01-06T11:00:00+01:00,0,0,web",
            "crm-3,2026-01-07T12:00:00Z,0,,ads",
            "crm-4,2026-01-08T13:00:00Z,1,,ads");

        var first = await ImportAsync(file);
        var again = await ImportAsync(file);

        Assert.True(first.Exit == 0, first.Err);
        Assert.Matches(@"^imported 4 rows from .*crm\.csv in [0-9.]+ s \([0-9,]+ rows/s\): 4 new, 0 replaced, 0 unchanged; 4 leads: 2 matched \(scored\), 2 unmatched\n$", first.Out);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains(": 0 new, 0 replaced, 4 unchanged; 4 leads: 2 matched (scored), 2 unmatched", again.Out, StringComparison.Ordinal);
        var crm1 = Assert.Single(await HistoryAsync("crm-1"));
        Assert.Equal(("crm-1", true, (double?)250.5, new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), "import:crm.csv"), (crm1.LeadId, crm1.Converted, crm1.Revenue, crm1.OccurredAt, crm1.Source));
        // A lost lead's revenue of 0 (or empty) is no revenue; the offset is kept as the instant.
        var crm2 = Assert.Single(await HistoryAsync("crm-2"));
        Assert.Equal((false, (double?)null, new DateTimeOffset(2026, 1, 6, 10, 0, 0, TimeSpan.Zero)), (crm2.Converted, crm2.Revenue, crm2.OccurredAt));
        Assert.Null((await HistoryAsync("crm-4"))[0].Revenue);
        Assert.Equal(new OutcomeSummary(4, 2, 250.5), await SummaryAsync());
    }

    [Fact]
    public async Task Occurred_at_gives_every_row_that_time_and_a_different_one_replaces_them_keeping_the_history()
    {
        var file = WriteCsv("crm.csv", "crm-1,2026-01-05T10:00:00Z,1,10,web", "crm-2,not-a-time,0,,web");

        var first = await ImportAsync(file, "--occurred-at", "2026-02-01T00:00:00Z", "--source", "crm-february");
        var later = await ImportAsync(file, "--occurred-at", "2026-02-02T00:00:00+02:00");

        Assert.True(first.Exit == 0, first.Err);
        Assert.Contains(": 2 new, 0 replaced, 0 unchanged;", first.Out, StringComparison.Ordinal);
        Assert.True(later.Exit == 0, later.Err);
        Assert.Contains(": 0 new, 2 replaced, 0 unchanged;", later.Out, StringComparison.Ordinal);
        var history = await HistoryAsync("crm-2");
        Assert.Equal(
            [(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), "import:crm-february"), (new DateTimeOffset(2026, 2, 1, 22, 0, 0, TimeSpan.Zero), "import:crm.csv")],
            history.Select(o => (o.OccurredAt, o.Source)));
        Assert.NotNull(history[0].ReplacedAt);
    }

    [Fact]
    public async Task Bad_rows_are_named_by_row_and_column_and_nothing_of_the_file_is_written()
    {
        var file = WriteCsv(
            "crm.csv",
            "crm-1,2026-01-05T10:00:00Z,1,10,web",
            ",2026-01-05T10:00:00Z,1,10,web",
            "crm-3,2026-01-05T10:00:00Z,maybe,,web",
            "crm-4,2026-01-05T10:00:00Z,1,lots,web",
            "crm-5,2026-01-05T10:00:00Z,0,50,web",
            "crm-6,2026-01-05T10:00:00Z,1,-3,web",
            "crm-7,2026-01-05 10:00:00,1,,web",
            "crm-8,2999-01-01T00:00:00Z,0,,web",
            $"{new string('x', 201)},2026-01-05T10:00:00Z,0,,web",
            "crm-10,,,,web",
            "crm-11,2026-01-05T10:00:00Z,1,10,web");

        var (exit, stdout, stderr) = await ImportAsync(file);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"error: {file} has 10 problems in 11 rows; nothing was imported", lines[0]);
        Assert.Equal(
            [
                "  row 2, column 'lead_id': is empty; every outcome needs a lead id",
                "  row 3, column 'converted': is neither a positive (1) nor a negative (0) label value (got 'maybe')",
                "  row 4, column 'revenue': is not a finite number (got 'lots')",
                "  row 5, column 'revenue': must be null when the lead did not convert (got '50')",
                "  row 6, column 'revenue': must not be negative (got '-3')",
                "  row 7, column 'created_at': must have a UTC offset (Z or ±hh:mm), e.g. 2026-03-01T09:30:00Z; got '2026-01-05 10:00:00'",
                "  row 8, column 'created_at': must not be in the future: 2999-01-01T00:00:00Z is after now (",
                "  row 9, column 'lead_id': must be at most 200 characters",
                "  row 10, column 'converted': is missing; every outcome needs converted or not",
                "  row 10, column 'created_at': must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got an empty string",
            ],
            lines.Skip(1).Select(l => l.StartsWith("  row 8,", StringComparison.Ordinal) ? l[..l.IndexOf("now (", StringComparison.Ordinal)] + "now (" : l));
        // Rows 1 and 11 are good, and not written either.
        Assert.Equal(new OutcomeSummary(0, 0, 0), await SummaryAsync());
    }

    [Fact]
    public async Task More_than_20_problems_are_counted_after_the_first_20()
    {
        var file = WriteCsv("crm.csv", [.. Enumerable.Range(0, 30).Select(i => $"crm-{i},2026-01-05T10:00:00Z,2,,web")]);

        var (exit, _, stderr) = await ImportAsync(file);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(22, lines.Length);
        Assert.Equal("  … and 10 more", lines[^1]);
    }

    [Theory]
    [InlineData("lead_id,created_at,Converted,revenue\ncrm-1,2026-01-05T10:00:00Z,1,\n", "crm.csv: column 'converted' (the label: converted or not in schema 'simulated-leads') is not in the file's header (did you mean 'Converted'?)")]
    [InlineData("lead,created_at,converted,revenue\ncrm-1,2026-01-05T10:00:00Z,1,\n", "crm.csv: column 'lead_id' (the lead id in schema 'simulated-leads') is not in the file's header")]
    [InlineData("lead_id,created_at,converted,revenue\ncrm-1,2026-01-05T10:00:00Z,1\n", "row 1: has 3 fields but the header has 4 (check the delimiter and quoting)")]
    public async Task A_file_that_does_not_fit_the_schema_is_refused_naming_what_is_wrong(string content, string message)
    {
        File.WriteAllText(_dir["crm.csv"], content);

        var (exit, _, stderr) = await ImportAsync(_dir["crm.csv"]);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal($"error: {message}\n", stderr);
    }

    [Theory]
    [InlineData("--occurred-at", "yesterday", "error: --occurred-at must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got 'yesterday'")]
    [InlineData("--occurred-at", "2026-01-05T10:00:00", "error: --occurred-at must have a UTC offset (Z or ±hh:mm)")]
    [InlineData("--occurred-at", "2999-01-05T10:00:00Z", "error: --occurred-at must not be in the future")]
    [InlineData("--source", " ", "error: --source must be 1 to 193 characters")]
    public async Task A_bad_option_value_is_refused_before_anything_is_read(string option, string value, string message)
    {
        var file = WriteCsv("crm.csv", "crm-1,2026-01-05T10:00:00Z,1,10,web");

        var (exit, _, stderr) = await ImportAsync(file, option, value);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.StartsWith(message, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Data, "predictions.db")));
    }

    [Fact]
    public async Task A_schema_without_a_timestamp_needs_occurred_at_and_one_without_an_id_is_refused()
    {
        var file = WriteCsv("crm.csv", "crm-1,2026-01-05T10:00:00Z,1,10,web");
        var noTime = _dir["no-time.json"];
        var noId = _dir["no-id.json"];
        File.WriteAllText(noTime, File.ReadAllText(Schema).Replace("\"timestamp\": \"created_at\",", "", StringComparison.Ordinal));
        File.WriteAllText(noId, File.ReadAllText(Schema).Replace("\"id\": \"lead_id\",", "", StringComparison.Ordinal));

        var withoutTime = await Leadscore.RunAsync("outcomes", "import", "--data", file, "--schema", noTime, "--data-dir", Data);
        var withTime = await Leadscore.RunAsync("outcomes", "import", "--data", file, "--schema", noTime, "--data-dir", Data, "--occurred-at", "2026-01-31T00:00:00Z");
        var withoutId = await Leadscore.RunAsync("outcomes", "import", "--data", file, "--schema", noId, "--data-dir", Data);

        Assert.Equal((1, "error: schema 'simulated-leads' names no timestamp column; give --occurred-at for every row's time\n"), (withoutTime.Exit, withoutTime.Err));
        Assert.True(withTime.Exit == 0, withTime.Err);
        Assert.Equal(1, withoutId.Exit);
        Assert.StartsWith("error: schema 'simulated-leads' names no id column", withoutId.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parquet_export_imports_the_same_outcomes_as_its_csv_copy()
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(2_000, Seed: 5)).Table;
        LeadFile.Write(_dir["leads.parquet"], leads);
        LeadFile.Write(_dir["leads.csv"], leads);

        var parquet = await ImportAsync(_dir["leads.parquet"]);
        var csv = await ImportAsync(_dir["leads.csv"]);

        Assert.True(parquet.Exit == 0, parquet.Err);
        Assert.Contains(": 2,000 new, 0 replaced, 0 unchanged; 2,000 leads:", parquet.Out, StringComparison.Ordinal);
        Assert.True(csv.Exit == 0, csv.Err);
        Assert.Contains(": 0 new, 0 replaced, 2,000 unchanged; 2,000 leads:", csv.Out, StringComparison.Ordinal);
        var summary = await SummaryAsync();
        Assert.Equal((2_000L, (long)leads.Labels!.Count(l => l)), (summary.Received, summary.Converted));
        Assert.Equal(leads.Revenue!.Where((_, i) => leads.Labels![i]).Sum(), summary.TotalRevenue, 6);
    }

    [Fact]
    public async Task A_1000000_row_export_with_duplicates_and_replacements_imports_with_exact_counts()
    {
        // 1,000,000 rows: 990,000 distinct leads, then 10,000 rows repeating leads 0–9,999: even ones unchanged
        // (the same outcome again), odd ones replaced (converted with revenue). 1,000 of the leads were imported
        // before: 500 the same (unchanged), 500 different (replaced), and 2,000 leads were scored.
        const int Distinct = 990_000;
        static string Row(int i, bool again = false) => again && i % 2 == 1
            ? string.Create(CultureInfo.InvariantCulture, $"lead-{i:D7},2026-01-{1 + (i % 28):D2}T{i % 24:D2}:00:00Z,1,{i % 1000}.25,web")
            : string.Create(CultureInfo.InvariantCulture, $"lead-{i:D7},2026-01-{1 + (i % 28):D2}T{i % 24:D2}:00:00Z,{(i % 3 == 0 ? 1 : 0)},{(i % 3 == 0 ? "99.5" : "")},web");
        var before = WriteCsv("before.csv", [.. Enumerable.Range(Distinct - 1_000, 1_000).Select(i => i % 2 == 0 ? Row(i) : $"lead-{i:D7},2025-12-01T00:00:00Z,0,,web")]);
        Assert.Equal(0, (await ImportAsync(before)).Exit);
        await ScoreAsync([.. Enumerable.Range(0, 2_000).Select(i => $"lead-{i * 400:D7}")]);
        var big = new StringBuilder("lead_id,created_at,converted,revenue,lead_source\n", 50 << 20);
        for (var i = 0; i < Distinct; i++)
        {
            big.Append(Row(i)).Append('\n');
        }

        for (var i = 0; i < 10_000; i++)
        {
            big.Append(Row(i, again: true)).Append('\n');
        }

        await File.WriteAllTextAsync(_dir["big.csv"], big.ToString());

        var (exit, stdout, stderr) = await ImportAsync(_dir["big.csv"]);

        Assert.True(exit == 0, stderr);
        // New: 990,000 − 1,000 imported before. Replaced: 500 from before + 5,000 odd repeats. Unchanged: 500 + 5,000.
        Assert.Contains(": 989,000 new, 5,500 replaced, 5,500 unchanged; 990,000 leads: 2,000 matched (scored), 988,000 unmatched", stdout, StringComparison.Ordinal);
        var summary = await SummaryAsync();
        Assert.Equal(990_000, summary.Received);
        // Every third lead converted; the odd repeats convert the rest of theirs.
        Assert.Equal(330_000 + Enumerable.Range(0, 10_000).Count(i => i % 2 == 1 && i % 3 != 0), summary.Converted);
        Assert.Equal([(false, (double?)null), (true, 1.25)], (await HistoryAsync("lead-0000001")).Select(o => (o.Converted, o.Revenue)));
        Assert.Single(await HistoryAsync("lead-0000002"));
        Assert.Equal(2, (await HistoryAsync($"lead-{Distinct - 1:D7}")).Count);
    }
}
