using System.Text.Json;
using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

public sealed class SimulateAndTrainTests : IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Simulate_writes_the_same_file_for_the_same_seed()
    {
        var a = await Leadscore.RunAsync("simulate", "--rows", "500", "--seed", "9", "--scenario", "source-shift", "--out", _dir["a.csv"]);
        await Leadscore.RunAsync("simulate", "--rows", "500", "--seed", "9", "--scenario", "source-shift", "--out", _dir["b.csv"]);
        await Leadscore.RunAsync("simulate", "--rows", "500", "--seed", "10", "--scenario", "source-shift", "--out", _dir["c.csv"]);

        Assert.Equal(0, a.Exit);
        Assert.StartsWith("wrote 500 leads (source-shift, seed 9", a.Out, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(_dir["a.csv"]), File.ReadAllBytes(_dir["b.csv"]));
        Assert.NotEqual(File.ReadAllBytes(_dir["a.csv"]), File.ReadAllBytes(_dir["c.csv"]));
        Assert.Equal(501, File.ReadAllLines(_dir["a.csv"]).Length);
    }

    [Fact]
    public async Task Simulate_writes_parquet_too()
    {
        var (exit, _, _) = await Leadscore.RunAsync("simulate", "--rows", "200", "--out", _dir["leads.parquet"]);

        Assert.Equal(0, exit);
        Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(_dir["leads.parquet"])[..4]);
    }

    [Theory]
    [InlineData("--scenario", "apocalypse")]
    [InlineData("--rows", "0")]
    public async Task Simulate_rejects_bad_arguments_with_a_message(string option, string value)
    {
        var args = new List<string> { "simulate", "--rows", "10", "--out", _dir["x.csv"] };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exit, _, err) = await Leadscore.RunAsync([.. args]);

        Assert.NotEqual(0, exit);
        Assert.Contains(value == "0" ? "--rows must be a positive number" : "apocalypse", err, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["x.csv"]));
    }

    [Fact]
    public async Task Train_with_json_prints_metrics_and_lightgbm_beats_the_baseline_on_x_education()
    {
        var (exit, stdout, stderr) = await Leadscore.RunAsync(
            "train", "--data", RepositoryPaths.Shared("data/leads-x-education.csv"), "--schema", RepositoryPaths.File("schemas/x-education.json"), "--out", _dir["pkg"], "--json");

        Assert.Equal(0, exit);
        Assert.Contains("train: calibration fold 1/5", stderr, StringComparison.Ordinal);
        var json = JsonDocument.Parse(stdout).RootElement;
        var metrics = json.GetProperty("metrics");
        foreach (var key in new[] { "auc", "pr_auc", "brier", "log_loss" })
        {
            Assert.InRange(metrics.GetProperty(key).GetDouble(), 0, 1);
        }

        Assert.True(metrics.GetProperty("auc").GetDouble() >= 0.85);
        Assert.True(metrics.GetProperty("auc").GetDouble() > json.GetProperty("baseline").GetProperty("auc").GetDouble());
        Assert.Equal(7392, json.GetProperty("rows").GetProperty("train").GetInt32());
        Assert.Equal(1848, json.GetProperty("rows").GetProperty("test").GetInt32());
        Assert.True(File.Exists(Path.Combine(_dir["pkg"], "model.zip")));
    }

    [Fact]
    public async Task Train_on_bad_data_names_the_row_and_column_and_writes_nothing()
    {
        await Leadscore.RunAsync("simulate", "--rows", "300", "--out", _dir["leads.csv"]);
        var lines = File.ReadAllLines(_dir["leads.csv"]);
        var header = lines[0].Split(',');
        var visits = Array.IndexOf(header, "total_visits");
        var row = lines[42].Split(',');
        row[visits] = "lots";
        lines[42] = string.Join(',', row);
        File.WriteAllLines(_dir["leads.csv"], lines);

        var (exit, _, err) = await Leadscore.RunAsync("train", "--data", _dir["leads.csv"], "--schema", RepositoryPaths.File("schemas/simulated-leads.json"), "--out", _dir["pkg"]);

        Assert.Equal(1, exit);
        Assert.Contains("error: row 42, column 'total_visits': value 'lots' is not a finite number", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["pkg"]));
    }

    [Fact]
    public async Task Train_with_a_schema_that_does_not_fit_the_file_says_which_column()
    {
        await Leadscore.RunAsync("simulate", "--rows", "300", "--out", _dir["leads.csv"]);

        var (exit, _, err) = await Leadscore.RunAsync("train", "--data", _dir["leads.csv"], "--schema", RepositoryPaths.File("schemas/x-education.json"));

        Assert.Equal(1, exit);
        Assert.Contains("column 'Lead Origin'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_with_a_missing_schema_file_says_so()
    {
        var (exit, _, err) = await Leadscore.RunAsync("train", "--data", "leads.csv", "--schema", _dir["nope.json"]);

        Assert.Equal(1, exit);
        Assert.Contains("nope.json: schema file not found", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        foreach (var command in new[] { "simulate", "train", "package", "register", "models", "promote", "rollback", "alias", "score", "serve" })
        {
            var (exit, stdout, _) = await Leadscore.RunAsync(command, "--help");

            Assert.Equal(0, exit);
            Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
            Assert.Contains("Description:", stdout, StringComparison.Ordinal);
        }
    }
}
