using System.Text.Json;
using LeadScoring.Cli.Tests.Support;
using LeadScoring.Core.Deployments;
using LeadScoring.Storage;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore deploy …` from the command line: what each command prints, its exit code, and its refusals.</summary>
public sealed class DeployCommandTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    private string Data => _dir["data"];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_ab_test_starts_shows_its_analysis_and_is_approved_into_production()
    {
        await RegisterTwoVersionsAsync();

        var start = await Leadscore.RunAsync("deploy", "ab", "--model", "leads", "--challenger", "2", "--share", "0.5", "--reason", "try v2", "--data-dir", Data);
        var second = await Leadscore.RunAsync("deploy", "canary", "--model", "leads", "--challenger", "2", "--data-dir", Data);
        await LogSplitTrafficAsync(1, leads: 400);
        var status = await Leadscore.RunAsync("deploy", "status", "--model", "leads", "--data-dir", Data);
        var analysis = await Leadscore.RunAsync("deploy", "status", "--id", "1", "--analysis", "--data-dir", Data);
        var json = await Leadscore.RunAsync("deploy", "status", "--id", "1", "--analysis", "--json", "--data-dir", Data);
        var approve = await Leadscore.RunAsync("deploy", "approve", "--id", "1", "--reason", "better", "--data-dir", Data);
        var abort = await Leadscore.RunAsync("deploy", "abort", "--id", "1", "--data-dir", Data);
        var show = await Leadscore.RunAsync("models", "show", "leads", "--data-dir", Data);
        var after = await Leadscore.RunAsync("deploy", "status", "--id", "1", "--data-dir", Data);

        Assert.Equal((0, "started ab deployment 1 of leads: v2 serves 50 % of leads, the champion v1 the rest\n"), (start.Exit, start.Out));
        Assert.Equal(2, second.Exit);
        Assert.StartsWith("error: ", second.Err, StringComparison.Ordinal);
        Assert.Contains("active", second.Err, StringComparison.Ordinal);

        Assert.Equal(0, status.Exit);
        Assert.StartsWith("deployment 1  leads  ab  active\n", status.Out, StringComparison.Ordinal);
        Assert.Matches(@"cli:\S+\s+started \(try v2\)", status.Out);

        Assert.True(analysis.Exit == 0, analysis.Err);
        Assert.Matches(@"CHAMPION v1\s+CHALLENGER v2", analysis.Out);
        Assert.Matches(@"leads\s+\d+\s+\d+", analysis.Out);
        Assert.Matches(@"labelled\s+\d+\s+\d+", analysis.Out);
        Assert.Contains("conversion rate", analysis.Out, StringComparison.Ordinal);
        Assert.Contains("ALWAYS-VALID p", analysis.Out, StringComparison.Ordinal);
        Assert.Matches(@"ROC AUC\s+[+-]0\.\d+", analysis.Out);
        Assert.Matches(@"sample ratio: challenger \d+ of 400 leads .* -> ok", analysis.Out);
        Assert.Matches(@"RECOMMENDATION  (continue|promote|stop): ", analysis.Out);

        Assert.True(json.Exit == 0, json.Err);
        using (var document = JsonDocument.Parse(json.Out))
        {
            var root = document.RootElement;
            Assert.Equal("ab", root.GetProperty("deployment").GetProperty("mode").GetString());
            Assert.Equal("started", root.GetProperty("events")[0].GetProperty("action").GetString());
            var a = root.GetProperty("analysis");
            Assert.Equal("ok", a.GetProperty("status").GetString());
            Assert.Equal(400, a.GetProperty("champion").GetProperty("leads").GetInt64() + a.GetProperty("challenger").GetProperty("leads").GetInt64());
            Assert.Equal(0.5, a.GetProperty("challenger_share").GetDouble());
            Assert.Contains(a.GetProperty("recommendation").GetProperty("kind").GetString(), new[] { "continue", "promote", "stop" });
            Assert.True(a.GetProperty("difference").GetProperty("roc_auc").TryGetProperty("always_valid_p_value", out _));
            Assert.False(a.GetProperty("sample_ratio").GetProperty("mismatch").GetBoolean());
        }

        Assert.Equal(0, approve.Exit);
        Assert.StartsWith("approved deployment 1: leads v2 is now Production", approve.Out, StringComparison.Ordinal);
        Assert.Matches(@"v2\s+Production\s+\S+\s+champion", show.Out);
        Assert.Equal(2, abort.Exit);
        Assert.Contains("completed, not active", abort.Err, StringComparison.Ordinal);
        Assert.StartsWith("deployment 1  leads  ab  completed\n", after.Out, StringComparison.Ordinal);
        Assert.Contains("approved (better)", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_waits_for_its_last_step_and_single_aborts_it()
    {
        await RegisterTwoVersionsAsync();

        var start = await Leadscore.RunAsync("deploy", "canary", "--model", "leads", "--challenger", "2", "--steps", "0.2:12h,0.6:1d,1", "--auto-promote", "--data-dir", Data);
        var approve = await Leadscore.RunAsync("deploy", "approve", "--id", "1", "--data-dir", Data);
        var analysis = await Leadscore.RunAsync("deploy", "status", "--model", "leads", "--analysis", "--data-dir", Data);
        var single = await Leadscore.RunAsync("deploy", "single", "--model", "leads", "--reason", "enough", "--data-dir", Data);
        var again = await Leadscore.RunAsync("deploy", "single", "--model", "leads", "--data-dir", Data);
        var latest = await Leadscore.RunAsync("deploy", "status", "--model", "leads", "--data-dir", Data);

        Assert.Equal(0, start.Exit);
        Assert.Equal("started canary deployment 1 of leads: v2 serves 20 % for 12h, then 60 % for 1d, then 100 % of leads (now step 1 of 3: 20 %), the champion v1 the rest; promoted on its own after the last step\n", start.Out);
        Assert.Equal(2, approve.Exit);
        Assert.StartsWith("error: ", approve.Err, StringComparison.Ordinal);
        Assert.True(analysis.Exit == 0, analysis.Err);
        Assert.Contains("ANALYSIS  canary step 1 since", analysis.Out, StringComparison.Ordinal);
        Assert.Contains("nothing to compare yet", analysis.Out, StringComparison.Ordinal);
        Assert.Contains("RECOMMENDATION  continue: ", analysis.Out, StringComparison.Ordinal);
        Assert.Equal((0, "aborted canary deployment 1 of leads: v1 serves every lead\n"), (single.Exit, single.Out));
        Assert.Equal((0, "leads has no active deployment: its champion serves alone; nothing changed\n"), (again.Exit, again.Out));
        Assert.StartsWith("deployment 1  leads  canary  aborted\n", latest.Out, StringComparison.Ordinal);
        Assert.Contains("aborted (enough)", latest.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shadow_deployment_shows_score_agreement_and_band_moves()
    {
        await RegisterTwoVersionsAsync();
        var start = await Leadscore.RunAsync("deploy", "shadow", "--model", "leads", "--challenger", "2", "--data-dir", Data);
        await LogShadowPairsAsync(1, leads: 300);

        var analysis = await Leadscore.RunAsync("deploy", "status", "--id", "1", "--analysis", "--data-dir", Data);

        Assert.Equal("started shadow deployment 1 of leads: v2 scores every lead beside the champion v1, off the request path; only v1's score is served\n", start.Out);
        Assert.True(analysis.Exit == 0, analysis.Err);
        Assert.Contains("SHADOW AGREEMENT on 300 leads scored by both", analysis.Out, StringComparison.Ordinal);
        Assert.Matches(@"Pearson -?0\.\d+, Spearman -?0\.\d+, top-decile agreement [\d.]+ %, PSI \d\.\d+", analysis.Out);
        Assert.Matches(@"DeLong: AUC 0\.\d+ against 0\.\d+", analysis.Out);
        Assert.Matches(@"\s+cold\s+hot\s+warm\n\s+cold\s+\d+\s+\d+\s+\d+\n", analysis.Out);
        Assert.Contains("daily call capacity 100:", analysis.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sample ratio", analysis.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string[], int, string> Refusals => new()
    {
        { ["deploy", "ab", "--model", "leads", "--challenger", "2", "--share", "1.5"], 1, "--share must be a number more than 0 and at most 1; got '1.5'" },
        { ["deploy", "ab", "--model", "leads", "--challenger", "two"], 1, "--challenger must be a positive number" },
        { ["deploy", "ab", "--model", "leads", "--challenger", "1"], 1, "error: --challenger must differ from the champion (both are version 1)" },
        { ["deploy", "ab", "--model", "leads", "--challenger", "9"], 1, "error: --challenger: leads v9 is not in the registry" },
        { ["deploy", "ab", "--model", "nobody", "--challenger", "2"], 1, "error: --model: model 'nobody' has no Production version" },
        { ["deploy", "canary", "--model", "leads", "--challenger", "2", "--steps", "0.1:1x,1"], 1, "--steps must be SHARE:DURATION pairs" },
        { ["deploy", "canary", "--model", "leads", "--challenger", "2", "--steps", "0.5:1d,0.2:1d,1"], 1, "error: --steps: step 2's share must be more than the previous step's (0.5); got 0.2" },
        { ["deploy", "status", "--data-dir"], 1, string.Empty },
        { ["deploy", "status"], 1, "error: give either --model NAME or --id N" },
        { ["deploy", "status", "--model", "leads", "--id", "1"], 1, "error: give either --model NAME or --id N" },
        { ["deploy", "status", "--id", "99"], 2, "error: no deployment 99" },
        { ["deploy", "status", "--model", "leads"], 2, "error: leads has no deployments" },
        { ["deploy", "approve", "--id", "99"], 2, "error: " },
        { ["deploy", "abort", "--id", "99"], 2, "error: " },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Mistakes_are_refused_with_one_line_and_an_exit_code(string[] args, int exit, string message)
    {
        await RegisterTwoVersionsAsync();

        var result = await Leadscore.RunAsync([.. args, "--data-dir", Data]);

        Assert.True(exit == result.Exit, $"exit {result.Exit}: {result.Out}{result.Err}");
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Theory]
    [InlineData("single", "--model", "leads")]
    [InlineData("ab", "--model", "leads", "--challenger", "2")]
    [InlineData("shadow", "--model", "leads", "--challenger", "2")]
    [InlineData("canary", "--model", "leads", "--challenger", "2")]
    [InlineData("status", "--model", "leads", "--analysis")]
    [InlineData("status", "--id", "1")]
    [InlineData("approve", "--id", "1")]
    [InlineData("abort", "--id", "1")]
    public async Task A_mistyped_data_dir_is_refused_and_creates_no_registry(params string[] args)
    {
        var result = await Leadscore.RunAsync(["deploy", .. args, "--data-dir", _dir["dta"]]);

        Assert.Equal(1, result.Exit);
        Assert.Contains("no registry at", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir["dta"], StorageOptions.SqliteFileName)));
    }

    private async Task RegisterTwoVersionsAsync()
    {
        foreach (var args in new[]
        {
            new[] { "register", package.Folder, "--name", "leads" },
            ["register", package.Folder, "--name", "leads"],
            ["promote", "leads@1"],
        })
        {
            var run = await Leadscore.RunAsync([.. args, "--data-dir", Data]);
            Assert.True(run.Exit == 0, run.Err);
        }
    }

    // Rows as the server logs them for a split deployment: each lead's arm by sticky assignment, a score, an outcome.
    private async Task LogSplitTrafficAsync(long deploymentId, int leads)
    {
        var options = new StorageOptions { DataDirectory = Data };
        await using var store = DeploymentStoreFactory.Create(options);
        var deployment = (await store.GetAsync(deploymentId))!;
        var random = new Random(5);
        var rows = new List<PredictionRecord>();
        var outcomes = new List<OutcomeRecord>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < leads; i++)
        {
            var id = $"lead-{i}";
            var challenger = StickyAssignment.IsChallenger(deployment.Salt, id, deployment.Share);
            var converted = random.NextDouble() < 0.3;
            var score = challenger ? Math.Clamp((converted ? 0.6 : 0.3) + (0.3 * random.NextDouble()), 0, 1) : random.NextDouble();
            rows.Add(Row(deployment, id, now, challenger ? ServingArms.Challenger : ServingArms.Champion, challenger ? 2 : 1, score));
            outcomes.Add(new OutcomeRecord(id, converted, converted ? 100 : null, now));
        }

        await WriteAsync(options, rows, outcomes);
    }

    // Pair rows as the shadow scorer logs them: the champion's served score with the challenger's beside it.
    private async Task LogShadowPairsAsync(long deploymentId, int leads)
    {
        var options = new StorageOptions { DataDirectory = Data };
        await using var store = DeploymentStoreFactory.Create(options);
        var deployment = (await store.GetAsync(deploymentId))!;
        var random = new Random(6);
        var rows = new List<PredictionRecord>();
        var outcomes = new List<OutcomeRecord>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < leads; i++)
        {
            var id = $"lead-{i}";
            var converted = random.NextDouble() < 0.3;
            var champion = random.NextDouble();
            var challenger = Math.Clamp((converted ? 0.55 : 0.2) + (0.4 * random.NextDouble()), 0, 1);
            var served = Row(deployment, id, now, ServingArms.Champion, 1, champion);
            rows.Add(served);
            rows.Add(served with { Arm = ServingArms.Shadow, ShadowModelVersion = 2, ShadowScore = challenger });
            if (i % 2 == 0)
            {
                outcomes.Add(new OutcomeRecord(id, converted, null, now));
            }
        }

        await WriteAsync(options, rows, outcomes);
    }

    private static PredictionRecord Row(Deployment deployment, string id, DateTimeOffset at, string arm, int version, double score) =>
        new("test", id, at, deployment.ModelName, version, arm, score, score >= 0.7 ? "hot" : score >= 0.4 ? "warm" : "cold", 250, "{}");

    private static async Task WriteAsync(StorageOptions options, List<PredictionRecord> rows, List<OutcomeRecord> outcomes)
    {
        await using (var log = PredictionLogFactory.Create(options))
        {
            await log.AppendAsync(rows);
        }

        await using var store = OutcomeStoreFactory.Create(options);
        await store.RecordAsync(outcomes, "test");
    }
}
