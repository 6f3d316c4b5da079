using System.Globalization;
using System.Text.Json;
using LeadScoring.Application.Retraining;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// Retraining on concept-drift logs: the candidate beats the baseline Production model on the latest fold and is
/// registered as Staging with its lineage; and the same snapshot, seed and code give a model that scores a probe set
/// identically.
/// </summary>
[Collection(RetrainingTrainingCollection.Name)]
public sealed class DriftRetrainingTests(DriftRetrainingFixture world) : IClassFixture<DriftRetrainingFixture>
{
    private RetrainingStore Store => world.Host.Services.GetRequiredService<RetrainingStore>();

    private IModelRegistry Registry => world.Host.Registry;

    [Fact]
    public async Task On_drifted_logs_the_candidate_passes_the_gate_and_is_registered_as_staging_with_its_lineage()
    {
        var run = world.FromLogs;
        Assert.True(run.Status == RetrainingStatus.Staged, $"{run.Status}: {run.StatusDetail}");
        Assert.Equal(2, run.CandidateVersion);
        Assert.StartsWith("registered leads v2 as Staging: ", run.StatusDetail, StringComparison.Ordinal);

        // The data: every logged lead, kept as a Parquet snapshot whose SHA-256 is the file's.
        var data = RetrainingDataDocument.Parse(run.DataJson!);
        Assert.Equal(("logs", 2000L), (data.Source, data.Rows));
        Assert.True(File.Exists(data.SnapshotFile));
        Assert.Equal(LeadFile.Sha256(data.SnapshotFile!), data.Sha256);
        Assert.Equal(new FileInfo(data.SnapshotFile!).Length, data.Bytes);

        // The gate: passed against v1 on the latest fold, with the numbers.
        using var gate = JsonDocument.Parse(run.GateJson!);
        var root = gate.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1, root.GetProperty("champion_version").GetInt32());
        var result = root.GetProperty("result");
        Assert.True(result.GetProperty("auc_met").GetBoolean() || result.GetProperty("captured_met").GetBoolean());
        Assert.True(result.GetProperty("calibration_met").GetBoolean());
        Assert.StartsWith("passed: ", root.GetProperty("reasons").EnumerateArray().Last().GetString(), StringComparison.Ordinal);

        // Every trial is stored with a score per fold.
        var trials = await Store.GetTrialsAsync(run.Id);
        Assert.Equal([1, 2, 3, 4], trials.Select(t => t.Number).Order());
        foreach (var trial in trials.Where(t => t.Status == "completed"))
        {
            using var folds = JsonDocument.Parse(trial.FoldScoresJson);
            Assert.Equal(3, folds.RootElement.GetArrayLength());
            Assert.NotNull(trial.MeanScore);
        }

        Assert.Contains(trials, t => t.Status == "completed");

        // The registered candidate and its lineage.
        var candidate = (await Registry.GetVersionAsync(RetrainingWorld.Model, 2))!;
        Assert.Equal(ModelStage.Staging, candidate.Stage);
        Assert.Equal(1, (await Registry.GetProductionAsync(RetrainingWorld.Model))!.Version);
        var tags = candidate.Tags;
        Assert.Equal(run.Id.ToString(CultureInfo.InvariantCulture), tags["retraining_run"]);
        Assert.Equal("manual", tags["trigger"]);
        Assert.Equal(data.Sha256, tags["snapshot_sha256"]);
        Assert.Equal("2000", tags["rows"]);
        Assert.Equal(data.From!.Value, DateTimeOffset.Parse(tags["data_from"], CultureInfo.InvariantCulture));
        Assert.Equal(data.To!.Value, DateTimeOffset.Parse(tags["data_to"], CultureInfo.InvariantCulture));
        Assert.Equal("4", tags["search_trials"]);
        Assert.Contains(tags["learner"], RetrainingSearchSettings.KnownLearners);
        using (var parameters = JsonDocument.Parse(tags["parameters"]))
        {
            Assert.Equal(JsonValueKind.Object, parameters.RootElement.ValueKind);
        }

        var best = trials.Where(t => t.MeanScore is not null).MaxBy(t => t.LatestFoldScore)!;
        Assert.Equal(best.Learner, tags["learner"]);
        Assert.Equal(best.MeanScore!.Value, double.Parse(tags["cv_mean_auc"], CultureInfo.InvariantCulture), 5);
        Assert.False(string.IsNullOrWhiteSpace(tags["code_version"]));
        var package = ModelPackage.Load((await Registry.GetPackageAsync(RetrainingWorld.Model, 2))!);
        Assert.Equal(package.Metadata.CodeVersion, tags["code_version"]);

        Assert.Equal(["queued", "preparing_data", "searching", "training", "gating", "staged", "cancelled"], (await Store.GetEventsAsync(run.Id)).Select(e => e.Step));
    }

    [Fact]
    public async Task Retraining_from_the_same_snapshot_and_seed_gives_identical_scores_on_a_probe_set()
    {
        Assert.True(world.FromLogs.Status == RetrainingStatus.Staged, $"{world.FromLogs.Status}: {world.FromLogs.StatusDetail}");
        var again = world.FromSnapshot;
        Assert.True(again.Status == RetrainingStatus.Staged, $"{again.Status}: {again.StatusDetail}");
        Assert.Equal(3, again.CandidateVersion);

        var first = RetrainingDataDocument.Parse(world.FromLogs.DataJson!);
        var second = RetrainingDataDocument.Parse(again.DataJson!);
        Assert.Equal(("file", Path.GetFileName(first.SnapshotFile), first.Sha256), (second.Source, second.File, second.FileSha256));
        Assert.Equal(first.Rows, second.Rows);
        // Read back and written again, the leads make the same bytes: a reproduction can be checked by its hash alone.
        Assert.NotEqual(first.SnapshotFile, second.SnapshotFile);
        Assert.Equal(first.Sha256, second.Sha256);

        // The same search: every trial with the same parameters and the same fold scores.
        var trials = await Store.GetTrialsAsync(world.FromLogs.Id);
        var retried = await Store.GetTrialsAsync(again.Id);
        Assert.Equal(trials.Select(t => (t.Number, t.Learner, t.ParametersJson, t.FoldScoresJson, t.Status)), retried.Select(t => (t.Number, t.Learner, t.ParametersJson, t.FoldScoresJson, t.Status)));

        var probe = LeadSimulator.Generate(new SimulationOptions(500, Seed: 977, Scenario.ConceptDrift)).Table;
        var v2 = ModelPackage.Load((await Registry.GetPackageAsync(RetrainingWorld.Model, 2))!);
        var v3 = ModelPackage.Load((await Registry.GetPackageAsync(RetrainingWorld.Model, 3))!);
        var scores = v2.Scorer.Score(probe);
        var rescored = v3.Scorer.Score(probe);

        // Identical, bit for bit; and not trivially so (the model separates the leads).
        Assert.Equal(scores.Select(BitConverter.DoubleToInt64Bits), rescored.Select(BitConverter.DoubleToInt64Bits));
        Assert.True(scores.Distinct().Count() > 100);
        Assert.Equal((await Registry.GetVersionAsync(RetrainingWorld.Model, 2))!.Tags["parameters"], (await Registry.GetVersionAsync(RetrainingWorld.Model, 3))!.Tags["parameters"]);
    }
}
