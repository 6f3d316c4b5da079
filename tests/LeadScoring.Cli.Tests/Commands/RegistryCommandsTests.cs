using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

public sealed class RegistryCommandsTests : IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Register_promote_score_and_rollback_from_the_command_line()
    {
        var data = _dir["data"];
        await Train("v1", seed: "1");
        await Train("v2", seed: "2");

        var r1 = await Leadscore.RunAsync("register", _dir["v1"], "--name", "leads", "--data-dir", data);
        var r2 = await Leadscore.RunAsync("register", _dir["v2"], "--name", "leads", "--data-dir", data, "--description", "second");
        var p1 = await Leadscore.RunAsync("promote", "leads@1", "--data-dir", data, "--reason", "first");
        var p2 = await Leadscore.RunAsync("promote", "leads@2", "--data-dir", data);
        var list = await Leadscore.RunAsync("models", "list", "--data-dir", data);
        var score = await Leadscore.RunAsync("score", "--model", "leads@production", "--data", _dir["leads.csv"], "--out", _dir["scored.csv"], "--data-dir", data);
        var rollback = await Leadscore.RunAsync("rollback", "leads", "--reason", "drill", "--data-dir", data);
        var show = await Leadscore.RunAsync("models", "show", "leads", "--data-dir", data);
        var audit = await Leadscore.RunAsync("models", "audit", "leads", "--data-dir", data);

        Assert.Equal("registered leads v1", r1.Out[..19]);
        Assert.StartsWith("registered leads v2", r2.Out, StringComparison.Ordinal);
        Assert.Equal("leads v1 is now Production\n", p1.Out);
        Assert.Equal("leads v2 is now Production\n", p2.Out);
        Assert.Contains("leads", list.Out, StringComparison.Ordinal);
        Assert.Contains("v2", list.Out, StringComparison.Ordinal);
        Assert.Equal(0, score.Exit);
        Assert.StartsWith("lead_id,score,bucket", File.ReadAllText(_dir["scored.csv"]), StringComparison.Ordinal);
        Assert.Equal(401, File.ReadAllLines(_dir["scored.csv"]).Length);
        Assert.Equal("leads v1 is back in Production\n", rollback.Out);
        Assert.Matches(@"v2\s+Archived", show.Out);
        Assert.Matches(@"v1\s+Production", show.Out);
        Assert.Contains("rollback Production -> Archived (drill)", audit.Out, StringComparison.Ordinal);
        Assert.Contains("cli:", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_package_is_refused_and_leaves_the_registry_empty()
    {
        var data = _dir["data"];
        await Train("pkg", seed: "1");
        var model = Path.Combine(_dir["pkg"], "model.zip");
        File.WriteAllBytes(model, File.ReadAllBytes(model)[..1000]);

        var (exit, _, err) = await Leadscore.RunAsync("register", _dir["pkg"], "--name", "leads", "--data-dir", data);
        var list = await Leadscore.RunAsync("models", "list", "--data-dir", data);

        Assert.Equal(1, exit);
        Assert.Contains("model.zip is corrupt or truncated", err, StringComparison.Ordinal);
        // The package is refused before the store is touched: there is not even an empty registry.
        Assert.Contains("no registry at", list.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rolling_back_with_no_history_is_refused_with_exit_code_2()
    {
        var data = _dir["data"];
        await Train("pkg", seed: "1");
        await Leadscore.RunAsync("register", _dir["pkg"], "--name", "leads", "--data-dir", data);
        await Leadscore.RunAsync("promote", "leads@1", "--data-dir", data);

        var (exit, _, err) = await Leadscore.RunAsync("rollback", "leads", "--data-dir", data);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_reference_is_refused()
    {
        await Train("pkg", seed: "1");
        await Leadscore.RunAsync("register", _dir["pkg"], "--name", "leads", "--data-dir", _dir["data"]);

        var (exit, _, err) = await Leadscore.RunAsync("score", "--model", "ghost@3", "--data", "x.csv", "--out", _dir["o.csv"], "--data-dir", _dir["data"]);

        Assert.Equal(2, exit);
        Assert.Contains("'ghost@3' is neither a package folder nor a registered model version", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aliases_point_at_versions_and_score_by_alias()
    {
        var data = _dir["data"];
        await Train("pkg", seed: "1");
        await Leadscore.RunAsync("register", _dir["pkg"], "--name", "leads", "--data-dir", data);

        var set = await Leadscore.RunAsync("alias", "leads@1", "challenger", "--data-dir", data);
        var score = await Leadscore.RunAsync("score", "--model", "leads@challenger", "--data", _dir["leads.csv"], "--out", _dir["s.parquet"], "--data-dir", data);
        var removed = await Leadscore.RunAsync("alias", "leads", "challenger", "--remove", "--data-dir", data);

        Assert.Equal("leads@challenger -> v1\n", set.Out);
        Assert.Equal(0, score.Exit);
        Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(_dir["s.parquet"])[..4]);
        Assert.Equal("removed alias challenger of leads\n", removed.Out);
    }

    private async Task Train(string name, string seed)
    {
        if (!File.Exists(_dir["leads.csv"]))
        {
            await Leadscore.RunAsync("simulate", "--rows", "400", "--seed", "3", "--out", _dir["leads.csv"]);
        }

        await Leadscore.RunAsync("simulate", "--rows", "1500", "--seed", seed, "--out", _dir[$"train-{name}.csv"]);
        var (exit, _, err) = await Leadscore.RunAsync("train", "--data", _dir[$"train-{name}.csv"], "--schema", RepositoryPaths.File("schemas/simulated-leads.json"), "--out", _dir[name], "--iterations", "30");
        Assert.True(exit == 0, err);
    }
}
