using LeadScoring.Core.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Storage;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Alerting.Delivery.Support;

/// <summary>
/// The real alert store on SQLite in a temporary directory, on a fake clock, with the delivery services over given
/// settings. <see cref="RestartAsync"/> drops the worker and the store and opens fresh ones on the same file.
/// </summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    public const string Rule = "feature_drift";
    public const string Subject = "lead-scoring/lead_source";
    public static readonly string[] AllChannels = ["slack", "email", "pagerduty"];

    private readonly IDictionary<string, string?> _settings;
    private readonly string? _postgres;
    private int _sources;

    private WorkerHarness(IDictionary<string, string?> settings, string directory, string? postgres, FakeTimeProvider? clock)
    {
        _settings = settings;
        _postgres = postgres;
        Directory = directory;
        Clock = clock ?? new FakeTimeProvider(DeliveryServices.Start);
        Open();
    }

    public string Directory { get; }

    public FakeTimeProvider Clock { get; }

    public AllLogs Logs { get; } = new();

    public AlertStore Store { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public AlertDeliveryWorker Worker => Services.GetRequiredService<AlertDeliveryWorker>();

    /// <summary>On SQLite in a fresh directory, or on the PostgreSQL database <paramref name="postgres"/> (shared by harnesses given the same).</summary>
    public static WorkerHarness Create(IDictionary<string, string?> settings, string? postgres = null, FakeTimeProvider? clock = null) =>
        new(settings, System.IO.Directory.CreateTempSubdirectory("leadscoring-delivery-test-").FullName, postgres, clock);

    /// <summary>Applies one evaluation's finding of the rule on the subject, now.</summary>
    public Task<AlertBatchResult> BreachAsync(AlertLevel level = AlertLevel.Critical, IReadOnlyList<string>? channels = null, string subject = Subject) =>
        Store.ApplyAsync(new AlertFindingBatch(
            $"test:{Guid.NewGuid():N}:{Interlocked.Increment(ref _sources)}",
            [new AlertFinding(Rule, subject, "lead-scoring", true, level, Clock.GetUtcNow(), "PSI of lead_source is 0.31", """{"psi":0.31}""", channels ?? AllChannels, TimeSpan.FromHours(4))]));

    public Task<AlertBatchResult> ClearAsync() =>
        Store.ApplyAsync(new AlertFindingBatch(
            $"test:{Interlocked.Increment(ref _sources)}",
            [new AlertFinding(Rule, Subject, "lead-scoring", false, AlertLevel.Info, Clock.GetUtcNow(), "PSI of lead_source is 0.04", """{"psi":0.04}""", [], TimeSpan.FromHours(4))]));

    /// <summary>Every delivery of alert <paramref name="alertId"/> with its attempts.</summary>
    public async Task<AlertDetail> DetailAsync(long alertId) => (await Store.GetAlertAsync(alertId))!;

    /// <summary>As after a crash or a deploy: the worker and the store are dropped, fresh ones open the same database.</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        await Store.DisposeAsync();
        Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void Open()
    {
        Store = AlertStoreFactory.Create(new StorageOptions { DataDirectory = Directory, PostgresConnectionString = _postgres }, Clock);
        Services = DeliveryServices.Build(_settings, Clock, Logs, Store);
    }
}
