using System.Diagnostics;
using LeadScoring.Application.Deployments;
using LeadScoring.Application.Registration;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Deployments;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LeadScoring.Application.Tests.Deployments;

/// <summary>
/// The analysis of a deployment over real SQLite stores, fed by simulated days of traffic scored by real models:
/// a better challenger wins, an equal one never does however often the analysis looks, and a broken split is
/// caught. Resolved the way the hosts resolve it.
/// </summary>
public sealed class DeploymentAnalysisUseCaseTests : IClassFixture<ExperimentPackages>, IAsyncLifetime, IAsyncDisposable
{
    private const string Model = "leads";
    private const int LeadsPerDay = 2000;
    private const int SmallDay = 200;

    private readonly ExperimentPackages _packages;
    private readonly ITestOutputHelper _output;
    private readonly ApplicationHost _host = new(new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public DeploymentAnalysisUseCaseTests(ExperimentPackages packages, ITestOutputHelper output) => (_packages, _output) = (packages, output);

    private DeploymentAnalysisUseCase Analysis => _host.Services.GetRequiredService<DeploymentAnalysisUseCase>();

    private DeploymentUseCases Deployments => _host.Services.GetRequiredService<DeploymentUseCases>();

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit v2 disposes a test class through IAsyncLifetime, never IAsyncDisposable (the host's scratch folder was left
    // behind); IAsyncDisposable is for the analyzers, which see a disposable field.
    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_better_challenger_wins_an_ab_test_once_enough_outcomes_arrived()
    {
        var watch = Stopwatch.StartNew();
        var deployment = await StartAsync(_packages.Challenger, DeploymentMode.AB, 0.5);
        // A small daily volume, so the evidence builds up over days.
        var traffic = Traffic(seed: 11, leadsPerDay: SmallDay);
        var looks = new List<DeploymentAnalysisReport>();
        for (var day = 0; day < 30 && looks.LastOrDefault()?.Analysis.Recommendation.Kind != RecommendationKind.Promote; day++)
        {
            await traffic.RunSplitDayAsync(deployment, Scorer(_packages.Champion), Scorer(_packages.Challenger));
            looks.Add(await Analysis.AnalyzeAsync(deployment.Id, null));
            Log(looks[^1]);
        }

        var first = looks[0].Analysis;
        Assert.Equal(RecommendationKind.Continue, first.Recommendation.Kind);
        Assert.Equal(0, first.Champion.Labelled + first.Challenger.Labelled);
        var last = looks[^1];
        Assert.Equal(RecommendationKind.Promote, last.Analysis.Recommendation.Kind);
        Assert.True(looks.Count >= 4, "a decision needs outcomes from several days");
        Assert.All(looks.SkipLast(1), l => Assert.Equal(RecommendationKind.Continue, l.Analysis.Recommendation.Kind));
        Assert.All(looks, l => Assert.Equal(ExperimentStatus.Ok, l.Analysis.Status));
        Assert.Contains("ROC AUC", last.Analysis.Recommendation.Reason, StringComparison.Ordinal);
        Assert.True(last.Analysis.Challenger.RocAuc > last.Analysis.Champion.RocAuc * 1.02);
        Assert.True(last.Analysis.Difference!.RocAuc!.AlwaysValidPValue <= 0.05);

        // The figures come from the stores: every lead scored, every earlier day's outcome, the counters merged.
        var leads = last.Analysis.Champion.Leads + last.Analysis.Challenger.Leads;
        Assert.Equal(SmallDay * looks.Count, leads);
        Assert.Equal(SmallDay * (looks.Count - 1), last.Analysis.Champion.Labelled + last.Analysis.Challenger.Labelled);
        Assert.Equal(leads, last.Analysis.Champion.Requests + last.Analysis.Challenger.Requests);
        Assert.InRange(last.Analysis.Challenger.LatencyP95Ms!.Value, 0.5, 0.7);
        Assert.Equal((deployment.CreatedAt, _host.Clock.GetUtcNow(), 0.5), (last.From, last.To, last.ChallengerShare));
        _output.WriteLine($"{looks.Count} looks in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task An_equal_challenger_is_never_promoted_over_many_daily_looks()
    {
        var watch = Stopwatch.StartNew();

        // A/A: the champion's own package registered again as the challenger.
        var deployment = await StartAsync(_packages.Champion, DeploymentMode.AB, 0.5);
        var traffic = Traffic(seed: 12);
        var scorer = Scorer(_packages.Champion);
        DeploymentAnalysisReport? last = null;
        for (var day = 0; day < 30; day++)
        {
            await traffic.RunSplitDayAsync(deployment, scorer, scorer);
            last = await Analysis.AnalyzeAsync(deployment.Id, null);
            Log(last);
            Assert.NotEqual(RecommendationKind.Promote, last.Analysis.Recommendation.Kind);
            Assert.Equal(ExperimentStatus.Ok, last.Analysis.Status);
            Assert.False(last.Analysis.SampleRatio?.Mismatch);
        }

        Assert.Equal(LeadsPerDay * 29, last!.Analysis.Champion.Labelled + last.Analysis.Challenger.Labelled);
        _output.WriteLine($"30 looks in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_broken_split_is_reported_and_the_recommendation_withheld()
    {
        var deployment = await StartAsync(_packages.Challenger, DeploymentMode.AB, 0.5);
        var traffic = Traffic(seed: 13);
        for (var day = 0; day < 3; day++)
        {
            // A fifth of the challenger's leads never reach the log.
            await traffic.RunSplitDayAsync(deployment, Scorer(_packages.Champion), Scorer(_packages.Challenger), dropChallenger: 0.2);
        }

        var report = await Analysis.AnalyzeAsync(deployment.Id, null);
        Log(report);

        Assert.Equal(ExperimentStatus.Broken, report.Analysis.Status);
        Assert.Equal(RecommendationKind.Withheld, report.Analysis.Recommendation.Kind);
        Assert.True(report.Analysis.SampleRatio!.Mismatch);
        Assert.InRange(report.Analysis.SampleRatio.ObservedShare, 0.42, 0.46);
        Assert.Contains("split is broken", report.Analysis.Recommendation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shadow_deployment_compares_both_models_on_the_same_leads_with_the_challengers_bands()
    {
        var deployment = await StartAsync(_packages.Challenger, DeploymentMode.Shadow, null);
        var traffic = Traffic(seed: 14);
        for (var day = 0; day < 3; day++)
        {
            await traffic.RunShadowDayAsync(deployment, Scorer(_packages.Champion), Scorer(_packages.Challenger));
        }

        var report = await Analysis.AnalyzeAsync(deployment.Id, null);
        Log(report);

        var shadow = report.Analysis.Shadow!;
        Assert.Equal(ExperimentDesign.Shadow, report.Analysis.Design);
        Assert.Equal(3 * LeadsPerDay, shadow.Pairs);
        Assert.Equal(shadow.Pairs, shadow.Transitions.Sum(t => t.Leads));
        Assert.Equal(["cold", "hot", "warm"], shadow.Bands);
        Assert.NotNull(shadow.DeLong);
        Assert.True(report.Analysis.Challenger.RocAuc > report.Analysis.Champion.RocAuc);
        Assert.Equal(2 * LeadsPerDay, report.Analysis.Champion.Labelled);
        Assert.Equal(0, report.ChallengerShare);
    }

    [Fact]
    public async Task A_canary_is_analysed_over_its_current_step_against_that_steps_share()
    {
        var deployment = await StartAsync(_packages.Challenger, DeploymentMode.Canary, null);
        var traffic = Traffic(seed: 15);
        var store = _host.Services.GetRequiredService<DeploymentStore>();
        await traffic.RunSplitDayAsync(deployment, Scorer(_packages.Champion), Scorer(_packages.Challenger));
        var advanced = (await store.AdvanceStepAsync(deployment.Id, 0, "system:test", "held", null))!;
        await traffic.RunSplitDayAsync(advanced, Scorer(_packages.Champion), Scorer(_packages.Challenger));

        var report = await Analysis.AnalyzeAsync(deployment.Id, null);
        Log(report);

        Assert.Equal((advanced.StepStartedAt, 0.5), (report.From, report.ChallengerShare));
        Assert.Equal(LeadsPerDay, report.Analysis.Champion.Leads + report.Analysis.Challenger.Leads);
        Assert.Equal(LeadsPerDay, report.Analysis.Champion.Requests + report.Analysis.Challenger.Requests);
        Assert.False(report.Analysis.SampleRatio!.Mismatch);
        Assert.InRange(report.Analysis.SampleRatio.ObservedShare, 0.46, 0.54);
    }

    [Fact]
    public async Task An_unknown_deployment_and_a_single_mode_one_are_refused()
    {
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => Analysis.AnalyzeAsync(404, null));
        await RegisterAsync(_packages.Challenger);
        var single = await Deployments.StartAsync(new StartDeploymentRequest(Model, null, DeploymentMode.Single, "alice"));
        var refused = await Assert.ThrowsAsync<DeploymentConflictException>(() => Analysis.AnalyzeAsync(single.Id, null));
        Assert.Contains("single mode", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Analysis.AnalyzeAsync(single.Id, new ExperimentOptions(Alpha: 2)));
    }

    // Through the store with a fixed salt (the use case draws a random one): the split, and so every figure, is the
    // same on every run, so "never promotes" is a fact about these seeds, not a lucky draw.
    private async Task<Deployment> StartAsync(byte[] challenger, DeploymentMode mode, double? share)
    {
        await RegisterAsync(challenger);
        var deployment = new NewDeployment(Model, 1, 2, mode, share ?? 0, null, false, "5eed5eed5eed5eed5eed5eed5eed5eed");
        return await _host.Services.GetRequiredService<DeploymentStore>().StartAsync(deployment, "alice", null);
    }

    private async Task RegisterAsync(byte[] challenger)
    {
        var registration = _host.Services.GetRequiredService<ModelRegistration>();
        await registration.RegisterAsync(new RegistrationRequest(Model, _packages.Champion, "system:test"));
        await registration.RegisterAsync(new RegistrationRequest(Model, challenger, "system:test"));
        await _host.Services.GetRequiredService<IModelRegistry>().TransitionAsync(Model, 1, ModelStage.Production, "system:test", null);
    }

    private ExperimentTraffic Traffic(int seed, int leadsPerDay = LeadsPerDay) => new(
        _host.Clock,
        _host.Services.GetRequiredService<PredictionLog>(),
        _host.Services.GetRequiredService<OutcomeStore>(),
        _host.Services.GetRequiredService<DeploymentStore>(),
        leadsPerDay,
        seed);

    private readonly Dictionary<byte[], LeadScorer> _scorers = [];

    private LeadScorer Scorer(byte[] package)
    {
        if (!_scorers.TryGetValue(package, out var scorer))
        {
            _scorers[package] = scorer = ModelPackage.Load(package).Scorer;
        }

        return scorer;
    }

    private void Log(DeploymentAnalysisReport report)
    {
        var a = report.Analysis;
        _output.WriteLine($"{report.To:MM-dd} {a.StatusName} {a.Recommendation.Name}: champion {a.Champion.Leads}/{a.Champion.Labelled} AUC {a.Champion.RocAuc:0.000}, challenger {a.Challenger.Leads}/{a.Challenger.Labelled} AUC {a.Challenger.RocAuc:0.000} — {a.Recommendation.Reason}");
    }
}
