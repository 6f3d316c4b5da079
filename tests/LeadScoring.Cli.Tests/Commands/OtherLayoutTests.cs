using System.Globalization;
using System.Text;
using LeadScoring.Cli.Tests.Support;
using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>
/// A data set in another layout (semicolon-delimited, every field quoted, yes/no labels, no id column,
/// "unknown" for missing, a schema written by someone else) trains and scores with no code change.
/// </summary>
public sealed class OtherLayoutTests : IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_semicolon_file_with_yes_no_labels_and_no_id_trains_and_scores()
    {
        WriteSemicolonFile(_dir["prospects.csv"], rows: 2000);
        var schema = Path.Combine(AppContext.BaseDirectory, "Fixtures", "semicolon-leads.schema.json");

        var train = await Leadscore.RunAsync("train", "--data", _dir["prospects.csv"], "--schema", schema, "--out", _dir["pkg"], "--json");
        var score = await Leadscore.RunAsync("score", "--model", _dir["pkg"], "--data", _dir["prospects.csv"], "--out", _dir["scored.csv"]);

        Assert.True(train.Exit == 0, train.Err);
        Assert.True(System.Text.Json.JsonDocument.Parse(train.Out).RootElement.GetProperty("metrics").GetProperty("auc").GetDouble() > 0.7);
        Assert.True(score.Exit == 0, score.Err);
        var lines = File.ReadAllLines(_dir["scored.csv"]);
        Assert.Equal("row,score,bucket", lines[0]);
        Assert.Equal(2001, lines.Length);
        Assert.StartsWith("1,", lines[1], StringComparison.Ordinal);
    }

    // Renders simulated leads in the layout of the UCI bank-marketing files.
    private static void WriteSemicolonFile(string path, int rows)
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(rows, Seed: 77)).Table;
        var visits = ((NumericColumn)leads.Columns[2]).Values;
        var seconds = ((NumericColumn)leads.Columns[3]).Values;
        var channel = ((CategoricalColumn)leads.Columns[0]).Values;
        var job = ((CategoricalColumn)leads.Columns[6]).Values;
        var demo = ((NumericColumn)leads.Columns[10]).Values;
        var text = new StringBuilder("\"visits\";\"seconds on site\";\"channel\";\"job\";\"newsletter\";\"call outcome\";\"y\"\n");
        for (var i = 0; i < rows; i++)
        {
            var v = double.IsNaN(visits[i]) ? "unknown" : visits[i].ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{v};{seconds[i]};\"{channel[i]}\";\"{job[i] ?? "unknown"}\";\"{(demo[i] == 1 ? "yes" : "no")}\";\"{(leads.Labels![i] ? "success" : "failure")}\";\"{(leads.Labels[i] ? "yes" : "no")}\"\n");
        }

        File.WriteAllText(path, text.ToString());
    }
}
