using System.Globalization;
using LeadScoring.Cli.Tests.Support;
using LeadScoring.Storage;
using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore predictions export` from the command line: what it prints, the model filter forms, and its refusals.</summary>
public sealed class PredictionsCommandTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    private static readonly string From = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly string To = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Data => _dir["data"];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Export_writes_the_logged_predictions_of_a_range_with_known_outcomes_and_says_how_many_and_where()
    {
        await ScoreAndLogAsync();
        await using (var outcomes = OutcomeStoreFactory.Create(new StorageOptions { DataDirectory = Data }))
        {
            var leads = File.ReadAllLines(_dir["scored.csv"]).Skip(1).Take(3).Select(l => l.Split(',')[0]).ToList();
            await outcomes.RecordAsync([.. leads.Select(id => new OutcomeRecord(id, true, 100, DateTimeOffset.UtcNow.AddHours(-1)))], "test");
        }

        var csv = await Leadscore.RunAsync("predictions", "export", "--from", From, "--to", To, "--out", _dir["all.csv"], "--data-dir", Data);
        var version = await Leadscore.RunAsync("predictions", "export", "--from", From, "--to", To, "--model", "leads@1", "--out", _dir["v1.parquet"], "--data-dir", Data);
        var alias = await Leadscore.RunAsync("predictions", "export", "--from", From, "--to", To, "--model", "leads@production", "--out", _dir["prod.csv"], "--data-dir", Data);
        var other = await Leadscore.RunAsync("predictions", "export", "--from", From, "--to", To, "--model", "other", "--out", _dir["other.csv"], "--data-dir", Data);

        Assert.True(csv.Exit == 0, csv.Err);
        Assert.Equal($"wrote 200 predictions ({From} to {To}; 11 feature columns; 3 with a known outcome) to {_dir["all.csv"]}\n", csv.Out);
        Assert.Equal(201, File.ReadAllLines(_dir["all.csv"]).Length);
        Assert.Equal($"wrote 200 predictions ({From} to {To}, leads v1; 11 feature columns; 3 with a known outcome) to {_dir["v1.parquet"]}\n", version.Out);
        Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(_dir["v1.parquet"])[..4]);
        Assert.Contains("wrote 200 predictions", alias.Out, StringComparison.Ordinal);
        Assert.StartsWith($"wrote 0 predictions ({From} to {To}, other; 0 feature columns; 0 with a known outcome)", other.Out, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(_dir["other.csv"]));
    }

    [Theory]
    [InlineData("--to-before-from", 1, "error: --to (2026-11-01) must be after --from (2026-11-02)")]
    [InlineData("--to-equals-from", 1, "error: --to (2026-11-02T08:30:00Z) must be after --from (2026-11-02T08:30:00Z)")]
    [InlineData("--bad-time", 1, "--from must be an ISO-8601 time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z); got 'yesterday'")]
    [InlineData("--not-iso", 1, "--to must be an ISO-8601 time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z); got '01/02/2027'")]
    [InlineData("--unknown-alias", 2, "error: 'leads@champion' is neither a package folder nor a registered model version")]
    [InlineData("--bad-name", 1, "error: --model 'Bad Name!': 'Bad Name!' is not a model name")]
    [InlineData("--version-zero", 1, "error: --model 'leads@0': a version is a whole number from 1")]
    [InlineData("--unwritable", 1, "error: cannot write ")]
    [InlineData("--xlsx", 1, "--out 'x.xlsx' must end in .csv or .parquet")]
    [InlineData("--no-log", 1, "error: no prediction log at ")]
    public async Task Export_refuses_bad_arguments_with_one_line_and_an_exit_code(string mistake, int exitCode, string message)
    {
        await ScoreAndLogAsync();
        string[] args = mistake switch
        {
            "--to-before-from" => ["--from", "2026-11-02", "--to", "2026-11-01"],
            "--to-equals-from" => ["--from", "2026-11-02T08:30:00Z", "--to", "2026-11-02T10:30:00+02:00"],
            "--bad-time" => ["--from", "yesterday", "--to", To],
            "--not-iso" => ["--from", From, "--to", "01/02/2027"],
            "--unknown-alias" => ["--from", From, "--to", To, "--model", "leads@champion"],
            "--bad-name" => ["--from", From, "--to", To, "--model", "Bad Name!"],
            "--version-zero" => ["--from", From, "--to", To, "--model", "leads@0"],
            "--unwritable" => ["--from", From, "--to", To, "--out", Path.Combine(_dir["missing"], "x.csv")],
            "--xlsx" => ["--from", From, "--to", To, "--out", "x.xlsx"],
            "--no-log" => ["--from", From, "--to", To, "--data-dir", _dir["empty"]],
            _ => throw new ArgumentOutOfRangeException(nameof(mistake)),
        };
        var defaults = new List<string> { "predictions", "export" };
        defaults.AddRange(args);
        if (!args.Contains("--out"))
        {
            defaults.AddRange(["--out", _dir["out.csv"]]);
        }

        if (!args.Contains("--data-dir"))
        {
            defaults.AddRange(["--data-dir", Data]);
        }

        var (exit, output, error) = await Leadscore.RunAsync([.. defaults]);

        Assert.Equal(exitCode, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["out.csv"]));
    }

    private async Task ScoreAndLogAsync()
    {
        var register = await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", Data);
        var promote = await Leadscore.RunAsync("promote", "leads@1", "--data-dir", Data);
        var score = await Leadscore.RunAsync("score", "--model", "leads@1", "--data", package.Leads, "--out", _dir["scored.csv"], "--data-dir", Data, "--log");
        Assert.True(register.Exit + promote.Exit + score.Exit == 0, register.Err + promote.Err + score.Err);
    }
}
