using System.Text.Json;
using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Simulation;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// Runs that stop before Staging, worked by the real runner on logs in real SQLite stores: too few mature labelled
/// leads, and a candidate retrained on the very world the Production model already knows, which the gate refuses.
/// </summary>
[Collection(RetrainingTrainingCollection.Name)]
public sealed class RetrainingRunnerTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly ApplicationHost _host = RetrainingWorld.NewHost();

    private RetrainingStore Store => _host.Services.GetRequiredService<RetrainingStore>();

    public Task InitializeAsync() => RetrainingWorld.RegisterBaselineProductionAsync(_host);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Too_few_mature_labelled_leads_end_the_run_insufficient_data_with_the_counts_and_register_nothing()
    {
        await RetrainingWorld.LogWorldAsync(_host, Scenario.Baseline, rows: 300, seed: 11);

        var ended = await RetrainingWorld.RequestAndRunAsync(_host, RetrainingWorld.SmallSettings());

        Assert.Equal(RetrainingStatus.InsufficientData, ended.Status);
        Assert.True(ended.IsTerminal);
        Assert.Equal("300 mature labelled leads (of 300 scored) in the last 183 days; retraining needs at least 500", ended.StatusDetail);
        var data = RetrainingDataDocument.Parse(ended.DataJson!);
        Assert.Equal(("logs", 300L, (string?)null), (data.Source, data.Rows, data.Sha256));
        Assert.Equal(RetrainingWorld.OutcomeDelay.TotalHours, data.DelayP90Hours);
        Assert.Null(ended.SearchJson);
        Assert.Null(ended.GateJson);
        Assert.Null(ended.CandidateVersion);
        Assert.Empty(await Store.GetTrialsAsync(ended.Id));
        Assert.Equal(["queued", "preparing_data", "insufficient_data"], (await Store.GetEventsAsync(ended.Id)).Select(e => e.Step));
        Assert.Single(await _host.Registry.ListVersionsAsync(RetrainingWorld.Model));
        Assert.False(Directory.Exists(RetrainingWorld.Snapshots(_host)) && Directory.EnumerateFiles(RetrainingWorld.Snapshots(_host)).Any());
    }

    [Fact]
    public async Task On_unchanged_data_the_candidate_fails_the_gate_with_reasons_and_numbers_and_nothing_is_registered_or_promoted()
    {
        await RetrainingWorld.LogWorldAsync(_host, Scenario.Baseline, rows: 2000, seed: 12);

        var ended = await RetrainingWorld.RequestAndRunAsync(_host, RetrainingWorld.SmallSettings());

        Assert.Equal(RetrainingStatus.GateFailed, ended.Status);
        Assert.True(ended.IsTerminal);
        using var gate = JsonDocument.Parse(ended.GateJson!);
        var root = gate.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1, root.GetProperty("champion_version").GetInt32());
        var result = root.GetProperty("result");
        var championAuc = result.GetProperty("champion_auc").GetDouble();
        var challengerAuc = result.GetProperty("challenger_auc").GetDouble();
        Assert.InRange(championAuc, 0.6, 1);
        Assert.InRange(challengerAuc, 0.5, 1);
        // Not enough better: neither +2 % ROC AUC nor +5 % conversions captured at capacity (with fewer leads a day than the capacity, both capture all).
        Assert.False(result.GetProperty("auc_met").GetBoolean());
        Assert.True(challengerAuc < championAuc * 1.02);
        Assert.Equal(result.GetProperty("champion_captured").GetInt64(), result.GetProperty("challenger_captured").GetInt64());
        var reasons = root.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.NotEmpty(reasons);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Contains(reasons, r => r.StartsWith($"ROC AUC {challengerAuc.ToString("0.000", inv)} vs {championAuc.ToString("0.000", inv)}: ", StringComparison.Ordinal) && r.EndsWith("not met", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("calibration (ECE", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("DeLong test on the ", StringComparison.Ordinal));
        Assert.StartsWith("failed: ", reasons[^1], StringComparison.Ordinal);
        Assert.Equal(string.Join("; ", reasons), ended.StatusDetail);

        // The search ran and is kept; nothing went to the registry or online.
        Assert.Equal(4, (await Store.GetTrialsAsync(ended.Id)).Count);
        Assert.NotNull(ended.SearchJson);
        Assert.Null(ended.CandidateVersion);
        var versions = await _host.Registry.ListVersionsAsync(RetrainingWorld.Model);
        Assert.Equal(1, Assert.Single(versions).Version);
        Assert.Equal(1, (await _host.Registry.GetProductionAsync(RetrainingWorld.Model))!.Version);
        Assert.Empty(await _host.Services.GetRequiredService<DeploymentStore>().ListAsync(RetrainingWorld.Model));
        Assert.Equal(["queued", "preparing_data", "searching", "training", "gating", "gate_failed"], (await Store.GetEventsAsync(ended.Id)).Select(e => e.Step));
    }
}
