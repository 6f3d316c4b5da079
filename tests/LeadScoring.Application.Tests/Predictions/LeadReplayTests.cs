using LeadScoring.Application.Predictions;
using LeadScoring.Application.Registration;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Scoring;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Application.Tests.Predictions;

/// <summary>Replay over a real SQLite registry and log: what it says when the version that scored a lead cannot score it any more.</summary>
public sealed class LeadReplayTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadscoring-replay-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private ModelRegistry _registry = null!;
    private PredictionLog _log = null!;

    public Task InitializeAsync()
    {
        var options = new StorageOptions { DataDirectory = _root };
        _registry = ModelRegistryFactory.Create(options, _clock);
        _log = PredictionLogFactory.Create(options, null, _clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _log.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_logged_score_replays_exactly_and_without_a_production_version_today_says_so()
    {
        var (package, logged) = await RegisterAndLogAsync();

        var replayed = Assert.Single(await new LeadReplay(_log, _registry).ReplayAsync("lead-1", ScoreBuckets.Default));

        Assert.Equal(logged.Score, replayed.ReplayedScore);
        Assert.Equal(package.Scorer.Score(LeadFeaturesJson.Read(logged.FeaturesJson, package.Schema)), replayed.ReplayedScore);
        Assert.Equal((0.0, true), (replayed.Difference, replayed.Matches));
        Assert.Null(replayed.ReplayProblem);
        Assert.Null(replayed.CurrentVersion);
        Assert.Null(replayed.CurrentScore);
        Assert.Equal("leads has no Production version", replayed.CurrentProblem);
    }

    [Fact]
    public async Task A_version_whose_stored_package_no_longer_loads_is_reported_not_thrown()
    {
        await RegisterAndLogAsync();
        await _registry.TransitionAsync("leads", 1, ModelStage.Production, "system:test", null);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_root, StorageOptions.SqliteFileName)}"))
        {
            await connection.OpenAsync();
            await using var corrupt = connection.CreateCommand();
            corrupt.CommandText = "UPDATE model_versions SET package = zeroblob(64)";
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());
        }

        var replayed = Assert.Single(await new LeadReplay(_log, _registry).ReplayAsync("lead-1", ScoreBuckets.Default));

        Assert.Null(replayed.ReplayedScore);
        Assert.Null(replayed.Matches);
        Assert.StartsWith("leads v1 cannot be loaded: ", replayed.ReplayProblem, StringComparison.Ordinal);
        Assert.Equal(1, replayed.CurrentVersion);
        Assert.Null(replayed.CurrentScore);
        Assert.Equal(replayed.ReplayProblem, replayed.CurrentProblem);
    }

    [Fact]
    public async Task A_lead_never_scored_replays_to_nothing()
    {
        Assert.Empty(await new LeadReplay(_log, _registry).ReplayAsync("nobody", ScoreBuckets.Default));
    }

    private async Task<(ModelPackage Package, PredictionRecord Logged)> RegisterAndLogAsync()
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(1500, Seed: 8)).Table;
        var trained = ModelTrainer.Train(leads, new TrainingOptions(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 20)), new DataSource(null, null), _clock);
        var archive = ModelPackage.Pack(trained).ToArchive();
        await new ModelRegistration(_registry).RegisterAsync(new RegistrationRequest("leads", archive, "system:test"));
        var package = ModelPackage.Load(archive);

        var features = new LeadFeatures(package.Schema.Features.Count);
        for (var i = 0; i < features.Numbers.Length; i++)
        {
            switch (leads.Columns[i])
            {
                case NumericColumn numbers:
                    features.Numbers[i] = numbers.Values[0];
                    break;
                case CategoricalColumn categories:
                    features.Categories[i] = categories.Values[0];
                    break;
            }
        }

        var score = package.Scorer.Score(features);
        var logged = new PredictionRecord("req-1", "lead-1", _clock.GetUtcNow(), "leads", 1, ServingArms.Champion, score, ScoreBuckets.Default.Of(score), 100, LeadFeaturesJson.Write(features, package.Schema));
        await _log.AppendAsync([logged]);
        return (package, logged);
    }
}
