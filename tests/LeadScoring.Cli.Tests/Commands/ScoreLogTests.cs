using System.Globalization;
using System.Security.Cryptography;
using LeadScoring.Cli.Tests.Support;
using LeadScoring.Core.Features;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore score --log`: every scored lead into the prediction log; without it, the log is never opened.</summary>
public sealed class ScoreLogTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    private string Data => _dir["data"];

    private string PredictionsDb => Path.Combine(Data, PredictionLogFactory.SqliteFileName);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Scoring_with_log_puts_one_row_per_lead_in_the_log_with_the_scores_of_the_output_file()
    {
        await RegisterAsync();

        var (exit, output, error) = await Leadscore.RunAsync("score", "--model", "leads@production", "--data", package.Leads, "--out", _dir["scored.csv"], "--data-dir", Data, "--log");

        Assert.True(exit == 0, error);
        Assert.Matches(@"^scored 200 leads in .*; wrote .*scored\.csv; logged 200 predictions of leads v1 as request cli-[0-9a-f]{32}\n$", output);
        var scored = File.ReadAllLines(_dir["scored.csv"]).Skip(1).Select(line => line.Split(',')).ToList();
        var logged = await ReadLogAsync();
        Assert.Equal(200, logged.Count);
        Assert.Equal(scored.Select(s => s[0]), logged.Select(l => l.LeadId));
        Assert.Equal(scored.Select(s => double.Parse(s[1], CultureInfo.InvariantCulture)), logged.Select(l => l.Score));
        Assert.Equal(scored.Select(s => s[2]), logged.Select(l => l.Band));
        var requestId = Assert.Single(logged.Select(l => l.RequestId).Distinct());
        Assert.Contains($"as request {requestId}", output, StringComparison.Ordinal);
        Assert.All(logged, l => Assert.Equal(("leads", 1, "champion"), (l.ModelName, l.ModelVersion, l.Arm)));
        Assert.All(logged, l => Assert.InRange(l.LatencyMicroseconds, 0, 1_000_000));
        Assert.All(logged, l => Assert.Null(l.ShadowScore));

        // The logged features are the leads as scored: the same package scores them to the logged scores.
        var model = ModelPackage.Load(package.Folder);
        Assert.All(logged, l => Assert.Equal(l.Score, model.Scorer.Score(LeadFeaturesJson.Read(l.FeaturesJson, model.Schema))));
    }

    [Fact]
    public async Task Without_log_scoring_neither_creates_nor_touches_the_prediction_log()
    {
        await RegisterAsync();

        var first = await Leadscore.RunAsync("score", "--model", "leads@1", "--data", package.Leads, "--out", _dir["a.csv"], "--data-dir", Data);
        var created = File.Exists(PredictionsDb);
        var logged = await Leadscore.RunAsync("score", "--model", "leads@1", "--data", package.Leads, "--out", _dir["b.csv"], "--data-dir", Data, "--log");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = Snapshot();
        var again = await Leadscore.RunAsync("score", "--model", "leads@1", "--data", package.Leads, "--out", _dir["c.parquet"], "--data-dir", Data);

        Assert.Equal((0, 0, 0), (first.Exit, logged.Exit, again.Exit));
        Assert.False(created, "score without --log created predictions.db");
        Assert.DoesNotContain("logged", first.Out, StringComparison.Ordinal);
        Assert.NotEmpty(before);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Log_needs_a_registered_model_and_refuses_a_package_folder_before_anything_is_written()
    {
        await RegisterAsync();

        var (exit, _, error) = await Leadscore.RunAsync("score", "--model", package.Folder, "--data", package.Leads, "--out", _dir["scored.csv"], "--data-dir", Data, "--log");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: --log needs a registered model (NAME@VERSION, NAME@ALIAS or NAME@production) so every logged score names its version;", error, StringComparison.Ordinal);
        Assert.False(File.Exists(PredictionsDb));
        Assert.False(File.Exists(_dir["scored.csv"]));
    }

    [Fact]
    public async Task A_bad_row_stops_a_logged_run_and_says_how_many_predictions_were_logged_before_it()
    {
        await RegisterAsync();
        // 20,000 good leads (two 16,384-row chunks, so the first chunk's batches commit), then a row that cannot be read.
        await Leadscore.RunAsync("simulate", "--rows", "20000", "--seed", "5", "--out", _dir["leads.csv"]);
        var lines = File.ReadAllLines(_dir["leads.csv"]);
        var header = lines[0].Split(',');
        var bad = lines[^1].Split(',');
        bad[Array.IndexOf(header, "total_visits")] = "lots";
        File.WriteAllLines(_dir["bad.csv"], [.. lines, string.Join(',', bad)]);

        var (exit, _, error) = await Leadscore.RunAsync("score", "--model", "leads@1", "--data", _dir["bad.csv"], "--out", _dir["scored.csv"], "--data-dir", Data, "--log");
        var logged = await ReadLogAsync();

        Assert.Equal(1, exit);
        Assert.Contains("row 20001, column 'total_visits': value 'lots' is not a finite number", error, StringComparison.Ordinal);
        Assert.Contains($"note: {logged.Count:N0} predictions of this run were logged before it failed (request id {logged[0].RequestId})", error, StringComparison.Ordinal);
        // The first chunk's three full batches were committed; its last 1,384 leads were pending when the run stopped.
        Assert.Equal(15_000, logged.Count);
        Assert.False(File.Exists(_dir["scored.csv"]));
    }

    private async Task RegisterAsync()
    {
        var register = await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", Data);
        var promote = await Leadscore.RunAsync("promote", "leads@1", "--data-dir", Data);
        Assert.True(register.Exit == 0 && promote.Exit == 0, register.Err + promote.Err);
    }

    private async Task<List<PredictionRecord>> ReadLogAsync()
    {
        await using var log = PredictionLogFactory.Create(new StorageOptions { DataDirectory = Data });
        var rows = new List<PredictionRecord>();
        await foreach (var row in log.ReadRangeAsync(new PredictionRange(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            rows.Add(row.Record);
        }

        return rows;
    }

    // Every file of the log (the database and any WAL or shared-memory file) with the hash of its bytes.
    private SortedDictionary<string, string> Snapshot() => new(
        Directory.GetFiles(Data, PredictionLogFactory.SqliteFileName + "*")
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);
}
