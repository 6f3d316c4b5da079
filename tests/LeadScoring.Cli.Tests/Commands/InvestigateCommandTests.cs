using System.Text.Json;
using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore investigate`: the checklist on the store's data, as text and JSON, and its refusals.</summary>
public sealed class InvestigateCommandTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Logged_leads_are_investigated_finding_by_finding_with_a_cause_and_an_action()
    {
        var data = _dir["data"];
        Assert.Equal(0, (await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", data)).Exit);
        Assert.Equal(0, (await Leadscore.RunAsync("promote", "leads@1", "--data-dir", data)).Exit);
        var scored = await Leadscore.RunAsync("score", "--model", "leads@1", "--data", package.Leads, "--out", _dir["scored.csv"], "--data-dir", data, "--log");
        Assert.True(scored.Exit == 0, scored.Err);

        var text = await Leadscore.RunAsync("investigate", "--data-dir", data, "--days", "3");
        var json = await Leadscore.RunAsync("investigate", "--model", "leads", "--data-dir", data, "--json");

        Assert.True(text.Exit == 0, text.Err);
        Assert.StartsWith("Investigation of leads v1", text.Out, StringComparison.Ordinal);
        Assert.Contains("[unknown] outcomes_feed: no lead is old enough yet", text.Out, StringComparison.Ordinal);
        Assert.Contains("Likely root cause: ", text.Out, StringComparison.Ordinal);
        Assert.Contains("Recommended action:", text.Out, StringComparison.Ordinal);
        Assert.True(json.Exit == 0, json.Err);
        var document = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("leads", document.GetProperty("model").GetString());
        Assert.Equal(9, document.GetProperty("findings").GetArrayLength());
        Assert.Equal(File.ReadLines(package.Leads).Count() - 1, document.GetProperty("report").GetProperty("leads").GetInt64());
        Assert.Equal("data_quality", document.GetProperty("findings")[3].GetProperty("check").GetString());
        Assert.Equal("ok", document.GetProperty("findings")[3].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Nothing_in_production_is_refused_and_a_missing_store_is_bad_input()
    {
        var data = _dir["data"];
        Assert.Equal(0, (await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", data)).Exit);

        var (exit, _, error) = await Leadscore.RunAsync("investigate", "--data-dir", data);
        var (missingExit, _, missingError) = await Leadscore.RunAsync("investigate", "--data-dir", _dir["nowhere"]);
        var (daysExit, _, daysError) = await Leadscore.RunAsync("investigate", "--data-dir", data, "--days", "0");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: no model has a version in Production", error, StringComparison.Ordinal);
        Assert.Equal(1, missingExit);
        Assert.Contains("no registry at", missingError, StringComparison.Ordinal);
        Assert.NotEqual(0, daysExit);
        Assert.Contains("--days", daysError, StringComparison.Ordinal);
    }
}
