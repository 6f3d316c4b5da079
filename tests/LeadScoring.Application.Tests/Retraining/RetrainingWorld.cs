using LeadScoring.Application.Registration;
using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// A model in Production trained on the simulator's baseline world, simulated leads of one world logged through the
/// real prediction log with their outcomes three days later, and a run requested, claimed and worked the way the
/// worker does it.
/// </summary>
internal static class RetrainingWorld
{
    public const string Model = RetrainingLog.Model;

    public const string Worker = "test-worker";

    /// <summary>When the runs happen; the host starts 100 days earlier.</summary>
    public static readonly DateTimeOffset Now = new(2031, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan OutcomeDelay = TimeSpan.FromDays(3);

    // Trained once per test process: training is seeded and the clock fixed, so every host gets the same bytes.
    private static readonly Lazy<byte[]> BaselinePackage = new(() =>
    {
        var table = LeadSimulator.Generate(new SimulationOptions(4000, Seed: 101)).Table;
        var options = new TrainingOptions(CalibrationFolds: 2, Threads: 1, LightGbm: new LightGbmSettings(Iterations: 60));
        return ModelPackage.Pack(ModelTrainer.Train(table, options, new DataSource("baseline.csv", null), new FakeTimeProvider(Now - TimeSpan.FromDays(200)))).ToArchive();
    });

    public static ApplicationHost NewHost() => new(Now - TimeSpan.FromDays(100));

    /// <summary>Registers the baseline model as v1 and makes it Production.</summary>
    public static async Task RegisterBaselineProductionAsync(ApplicationHost host)
    {
        var registration = host.Services.GetRequiredService<ModelRegistration>();
        await registration.RegisterAsync(new RegistrationRequest(Model, BaselinePackage.Value, "system:test"));
        await host.Registry.TransitionAsync(Model, 1, ModelStage.Production, "system:test", null);
    }

    /// <summary>
    /// Logs <paramref name="rows"/> leads of <paramref name="scenario"/> scored over the 70 days before now − 10 days,
    /// then moves the clock to <see cref="Now"/> and records every outcome as having happened three days after its score.
    /// </summary>
    public static async Task<LeadTable> LogWorldAsync(ApplicationHost host, Scenario scenario, int rows, int seed)
    {
        var table = LeadSimulator.Generate(new SimulationOptions(rows, seed, scenario, Now - TimeSpan.FromDays(80), Days: 70)).Table;
        var log = new RetrainingLog(host.Services.GetRequiredService<PredictionLog>(), host.Services.GetRequiredService<OutcomeStore>());
        await log.ScoreAsync(table, i => table.Timestamps![i]);
        host.Clock.SetUtcNow(Now);
        await log.RecordOutcomesAsync(table, i => table.Timestamps![i] + OutcomeDelay);
        return table;
    }

    /// <summary>Small runs: 4 trials over 3 folds, 500 labelled leads at least.</summary>
    public static RetrainingSettings SmallSettings()
    {
        var settings = new RetrainingSettings();
        settings.Data.MinLabelled = 500;
        settings.Search.Trials = 4;
        settings.Search.Folds = 3;
        settings.Search.Seed = 7;
        return settings;
    }

    public static string Snapshots(ApplicationHost host) => Path.Combine(host.DataDirectory, "snapshots");

    /// <summary>Requests a run, claims it as the worker would, and works it to where it stops.</summary>
    public static async Task<RetrainingRun> RequestAndRunAsync(ApplicationHost host, RetrainingSettings settings, string? dataFile = null)
    {
        var requested = await host.Services.GetRequiredService<RetrainingUseCases>().RequestAsync(new RetrainingRequest(Model, "alice", "test", DataFile: dataFile), settings);
        var claimed = await host.Services.GetRequiredService<RetrainingStore>().ClaimAsync(requested.Id, Worker, Lease)
            ?? throw new InvalidOperationException($"run {requested.Id} could not be claimed");
        return await host.Services.GetRequiredService<RetrainingRunner>().RunAsync(claimed, Worker, Lease, Snapshots(host));
    }
}
