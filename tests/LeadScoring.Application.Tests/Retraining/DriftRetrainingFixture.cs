using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Simulation;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// Two retraining runs, made once for the class: the first on concept-drift logs (the Production model was trained on
/// the baseline world), then cancelled once staged so a second may start; the second from the first's snapshot file
/// with the same seed.
/// </summary>
public sealed class DriftRetrainingFixture : IAsyncLifetime
{
    public ApplicationHost Host { get; } = RetrainingWorld.NewHost();

    /// <summary>The run on the logs, as it ended (before it was cancelled).</summary>
    public RetrainingRun FromLogs { get; private set; } = null!;

    /// <summary>The run on the first run's snapshot file.</summary>
    public RetrainingRun FromSnapshot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await RetrainingWorld.RegisterBaselineProductionAsync(Host);
        await RetrainingWorld.LogWorldAsync(Host, Scenario.ConceptDrift, rows: 2000, seed: 13);
        var settings = RetrainingWorld.SmallSettings();
        FromLogs = await RetrainingWorld.RequestAndRunAsync(Host, settings);
        if (FromLogs.Status != RetrainingStatus.Staged)
        {
            // Leave the second run out: the tests say what happened to the first.
            return;
        }

        await Host.Services.GetRequiredService<RetrainingUseCases>().CancelAsync(FromLogs.Id, "alice", "make room for the reproduction");
        var snapshot = RetrainingDataDocument.Parse(FromLogs.DataJson!).SnapshotFile!;
        FromSnapshot = await RetrainingWorld.RequestAndRunAsync(Host, settings, dataFile: snapshot);
    }

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}
