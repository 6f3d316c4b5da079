using LeadScoring.Application.Monitoring;
using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore drift`: a lead file against a model's reference profile, as text, JSON and the HTML report.</summary>
public sealed class DriftCommandTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Source_shift_leads_against_a_baseline_model_flag_lead_source_and_nothing_else_and_write_the_report()
    {
        var leads = await SimulateAsync("source-shift", 2_000, seed: 5);

        var (exit, output, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", leads, "--out", _dir["report.html"]);

        Assert.True(exit == 0, error);
        Assert.Equal(["lead_source"], DriftedIn(output));
        Assert.Contains("drift of shift.csv against simulated-leads: 2,000 leads, 2,000 with a known outcome", output, StringComparison.Ordinal);
        Assert.Contains("data quality: no failures", output, StringComparison.Ordinal);
        Assert.Matches(@"performance: realised ROC AUC 0\.[0-9]+, PR AUC", output);
        Assert.Matches(@"estimated ROC AUC 0\.[0-9]+ \(CBPE estimate\)", output);
        Assert.EndsWith($"wrote {_dir["report.html"]}\n", output, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(_dir["report.html"]);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-feature=\"lead_source\"><td><a href=\"#feature-0\">lead_source</a></td><td>categorical</td><td><span class=\"drifted\">drifted</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baseline_leads_against_the_baseline_model_flag_nothing()
    {
        var leads = await SimulateAsync("baseline", 2_000, seed: 6);

        var (exit, output, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", leads, "--out", _dir["report.html"]);

        Assert.True(exit == 0, error);
        Assert.Empty(DriftedIn(output));
        Assert.Contains("data drift: 0 of 11 measured features drifted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_the_reports_document_and_names_the_same_drifted_features_as_the_text()
    {
        var leads = await SimulateAsync("source-shift", 2_000, seed: 5);
        var text = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", leads, "--out", _dir["a.html"]);

        var (exit, output, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", leads, "--out", _dir["b.html"], "--json");

        Assert.True(exit == 0, error);
        var document = MonitoringJson.Deserialize(output);
        Assert.Equal(DriftedIn(text.Out), document.Features.Where(f => f.Verdict == "drifted").Select(f => f.Feature).ToList());
        Assert.Equal(["lead_source"], document.DriftedByImpact.Select(i => i.Feature).ToList());
        Assert.Equal(2_000, document.Leads);
        Assert.Equal(2_000, document.Labelled);
        Assert.NotNull(document.Performance.Realised);
        Assert.Equal(11, document.Features.Count);
        Assert.Equal($"wrote {_dir["b.html"]}\n", error);
        // The HTML is the same report whichever way the summary is printed (only the generation time may differ).
        Assert.Equal(Strip(await File.ReadAllTextAsync(_dir["a.html"])), Strip(await File.ReadAllTextAsync(_dir["b.html"])));
    }

    [Fact]
    public async Task A_file_without_the_label_column_gets_the_estimate_and_no_realised_figures()
    {
        var labelled = await SimulateAsync("baseline", 500, seed: 7);
        var unlabelled = _dir["unlabelled.csv"];
        await File.WriteAllLinesAsync(unlabelled, DropColumn(await File.ReadAllLinesAsync(labelled), "converted"));

        var (exit, output, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", unlabelled, "--out", _dir["report.html"], "--json");

        Assert.True(exit == 0, error);
        var document = MonitoringJson.Deserialize(output);
        Assert.Equal((500L, 0L), (document.Leads, document.Labelled));
        Assert.Null(document.Performance.Realised);
        Assert.NotNull(document.Performance.Estimated);
    }

    [Fact]
    public async Task A_registered_model_is_named_with_its_version()
    {
        var data = _dir["data"];
        var register = await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", data);
        Assert.True(register.Exit == 0, register.Err);
        var leads = await SimulateAsync("baseline", 300, seed: 8);

        var (exit, output, error) = await Leadscore.RunAsync("drift", "--model", "leads@1", "--data", leads, "--out", _dir["report.html"], "--data-dir", data);

        Assert.True(exit == 0, error);
        Assert.StartsWith("drift of shift.csv against simulated-leads v1: 300 leads", output, StringComparison.Ordinal);
        Assert.Contains("simulated-leads v1", await File.ReadAllTextAsync(_dir["report.html"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_version_is_refused_by_name()
    {
        var data = _dir["data"];
        Assert.Equal(0, (await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", data)).Exit);

        var (exit, _, error) = await Leadscore.RunAsync("drift", "--model", "leads@7", "--data", package.Leads, "--out", _dir["report.html"], "--data-dir", data);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: 'leads@7' is neither a package folder nor a registered model version", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["report.html"]));
    }

    [Fact]
    public async Task A_missing_data_file_is_bad_input()
    {
        var (exit, output, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", _dir["nowhere.csv"], "--out", _dir["report.html"]);

        Assert.Equal((1, ""), (exit, output));
        Assert.Equal($"error: --data {_dir["nowhere.csv"]}: file not found\n", error);
        Assert.False(File.Exists(_dir["report.html"]));
    }

    [Fact]
    public async Task A_file_without_leads_is_bad_input()
    {
        var leads = await SimulateAsync("baseline", 10, seed: 10);
        var empty = _dir["empty.csv"];
        await File.WriteAllLinesAsync(empty, (await File.ReadAllLinesAsync(leads)).Take(1));

        var (exit, _, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", empty, "--out", _dir["report.html"]);

        Assert.Equal(1, exit);
        Assert.Equal($"error: --data {empty}: the file holds no leads (a header and no rows); there is nothing to compare\n", error);
        Assert.False(File.Exists(_dir["report.html"]));
    }

    [Fact]
    public async Task A_file_that_does_not_fit_the_schema_names_the_column()
    {
        var leads = await SimulateAsync("baseline", 200, seed: 9);
        var broken = _dir["broken.csv"];
        await File.WriteAllLinesAsync(broken, DropColumn(await File.ReadAllLinesAsync(leads), "total_visits"));

        var (exit, _, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", broken, "--out", _dir["report.html"]);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("total_visits", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["report.html"]));
    }

    [Fact]
    public async Task A_schema_whose_features_are_not_the_models_is_refused()
    {
        var schema = _dir["other.schema.json"];
        var text = await File.ReadAllTextAsync(RepositoryPaths.File("schemas/simulated-leads.json"));
        await File.WriteAllTextAsync(schema, text.Replace("\"total_visits\"", "\"visits\"", StringComparison.Ordinal));

        var (exit, _, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", package.Leads, "--schema", schema, "--out", _dir["report.html"]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {schema}: its features are not the model's", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_as_the_report_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(_dir["reports.html"]);

        var (exit, _, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", package.Leads, "--out", _dir["reports.html"]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: --out {_dir["reports.html"]} is a directory", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir["reports.html"]));
    }

    [Fact]
    public void The_help_names_the_default_report_path()
    {
        var drift = LeadScoreCli.Create().Subcommands.Single(c => c.Name == "drift");
        var output = drift.Options.Single(o => o.Name == "--out");

        Assert.Contains("default: drift-report.html in the current directory", output.Description, StringComparison.Ordinal);
    }

    /// <summary>The features the text summary lists as drifted, in its order.</summary>
    internal static List<string> DriftedIn(string summary) =>
        summary.Split('\n').Where(l => l.StartsWith("  drifted: ", StringComparison.Ordinal)).Select(l => l["  drifted: ".Length..].Split(' ')[0]).ToList();

    private async Task<string> SimulateAsync(string scenario, int rows, int seed)
    {
        var path = _dir["shift.csv"];
        var (exit, _, error) = await Leadscore.RunAsync("simulate", "--rows", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scenario", scenario, "--out", path);
        Assert.True(exit == 0, error);
        return path;
    }

    private static IEnumerable<string> DropColumn(string[] lines, string column)
    {
        var index = Array.IndexOf(lines[0].Split(','), column);
        Assert.True(index >= 0, $"no {column} column");
        return lines.Select(line => string.Join(',', line.Split(',').Where((_, i) => i != index)));
    }

    private static string Strip(string html) => System.Text.RegularExpressions.Regex.Replace(html, "generated [0-9: -]+ UTC", "generated …");
}
