using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore leads replay`: a lead's logged scores re-scored from the command line.</summary>
public sealed class LeadsCommandTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    private string Data => _dir["data"];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_lead_logged_by_a_batch_run_replays_to_its_logged_score()
    {
        await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", Data);
        await Leadscore.RunAsync("promote", "leads@1", "--data-dir", Data);
        await Leadscore.RunAsync("score", "--model", "leads@1", "--data", package.Leads, "--out", _dir["scored.csv"], "--data-dir", Data, "--log");
        var first = File.ReadAllLines(_dir["scored.csv"])[1].Split(',');

        var (exit, output, error) = await Leadscore.RunAsync("leads", "replay", first[0], "--data-dir", Data);
        var unknown = await Leadscore.RunAsync("leads", "replay", "nobody", "--data-dir", Data);

        Assert.True(exit == 0, error);
        var line = output.Split('\n')[1];
        Assert.Matches($@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d  leads v1 +{double.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture):F6} {first[2]} +\d\.\d{{6}}  yes    v1: ", line);
        Assert.EndsWith("1 of 1 logged scores reproduced exactly\n", output, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Exit);
        Assert.Equal("error: lead 'nobody' was never scored (no logged prediction to replay)\n", unknown.Err);
    }

    [Fact]
    public async Task A_data_directory_without_a_prediction_log_is_refused_without_creating_one()
    {
        await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", Data);

        var (exit, _, error) = await Leadscore.RunAsync("leads", "replay", "crm-1", "--data-dir", Data);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: no prediction log at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Data, "predictions.db")));
    }
}
