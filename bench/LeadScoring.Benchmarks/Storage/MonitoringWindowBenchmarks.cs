using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LeadScoring.Storage;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Npgsql;

namespace LeadScoring.Benchmarks.Storage;

/// <summary>
/// Reading one monitoring window of 1,000,000 logged predictions (one per lead, eleven features each, spread over 30
/// days), every lead with a known outcome, into columns. The rows are seeded through <see cref="PredictionLog.AppendAsync"/>
/// and <see cref="OutcomeStore.RecordAsync"/> as the service writes them: SQLite in a temporary folder, and
/// PostgreSQL too when <c>LEADSCORING_TEST_POSTGRES</c> names a server (a fresh database, dropped afterwards).
/// Seeding takes a minute or so per store; each read is one iteration.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class MonitoringWindowBenchmarks
{
    private const int Rows = 1_000_000;
    private const string Model = "lead-scoring";

    private static readonly DateTimeOffset WindowFrom = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowTo = WindowFrom.AddDays(30);

    private static readonly MonitoringFeature[] Features =
    [
        new("lead_source", MonitoringFeatureKind.Categorical),
        new("lead_origin", MonitoringFeatureKind.Categorical),
        new("total_visits", MonitoringFeatureKind.Numeric),
        new("time_on_site_sec", MonitoringFeatureKind.Numeric),
        new("pages_per_visit", MonitoringFeatureKind.Numeric),
        new("last_activity", MonitoringFeatureKind.Categorical),
        new("occupation", MonitoringFeatureKind.Categorical),
        new("country", MonitoringFeatureKind.Categorical),
        new("company_size", MonitoringFeatureKind.Numeric),
        new("do_not_email", MonitoringFeatureKind.Numeric),
        new("requested_demo", MonitoringFeatureKind.Numeric),
    ];

    private MonitoringStore _store = null!;
    private string? _folder;
    private string? _postgresDatabase;

    /// <summary>"sqlite", and "postgres" when a server is configured.</summary>
    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "";

    public static IEnumerable<string> Stores()
    {
        yield return "sqlite";
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("LEADSCORING_TEST_POSTGRES")))
        {
            yield return "postgres";
        }
    }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_postgresDatabase is not null)
        {
            AdminExecute($"DROP DATABASE {_postgresDatabase} WITH (FORCE)");
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The whole 30-day window of version 1 on the champion arm, outcomes known now: 1,000,000 leads.</summary>
    [Benchmark]
    public async Task<int> ReadWindow()
    {
        var window = await _store.Windows.ReadAsync(new MonitoringWindowQuery(Model, WindowFrom, WindowTo, WindowTo.AddDays(60), Features, 1, ServingArms.Champion));
        return window.Count == Rows ? window.Count : throw new InvalidOperationException($"read {window.Count} rows, not {Rows}");
    }

    private async Task SetupAsync()
    {
        StorageOptions storage;
        if (Store == "postgres")
        {
            _postgresDatabase = "bench_monitoring_" + Guid.NewGuid().ToString("N");
            AdminExecute($"CREATE DATABASE {_postgresDatabase}");
            storage = new StorageOptions { PostgresConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = _postgresDatabase }.ConnectionString };
        }
        else
        {
            _folder = Directory.CreateTempSubdirectory("bench-monitoring-").FullName;
            storage = new StorageOptions { DataDirectory = _folder };
        }

        var random = new Random(42);
        await using (var log = PredictionLogFactory.Create(storage))
        await using (var outcomes = OutcomeStoreFactory.Create(storage))
        {
            for (var start = 0; start < Rows; start += 10_000)
            {
                await log.AppendAsync([.. Enumerable.Range(start, 10_000).Select(i => Prediction(i, random))]);
            }

            for (var start = 0; start < Rows; start += 50_000)
            {
                await outcomes.RecordAsync(
                    [.. Enumerable.Range(start, 50_000).Select(i => random.Next(10) == 0
                        ? new OutcomeRecord(LeadId(i), true, Math.Round(random.NextDouble() * 5_000, 2), WindowTo.AddDays(1))
                        : new OutcomeRecord(LeadId(i), false, null, WindowTo.AddDays(1)))],
                    "bench");
            }
        }

        _store = MonitoringStoreFactory.Create(storage);
    }

    private static readonly string[] Sources = ["referral", "google", "direct", "olark_chat", "organic_search"];
    private static readonly string[] Activities = ["email_opened", "sms_sent", "chat_conversation", "page_visited"];
    private static readonly string[] Countries = ["india", "united_states", "singapore", "united_kingdom", "unknown"];

    private static PredictionRecord Prediction(int i, Random random)
    {
        var score = random.NextDouble();
        var json = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"lead_source":"{{Sources[random.Next(Sources.Length)]}}","lead_origin":"form","total_visits":{{random.Next(20)}},"time_on_site_sec":{{random.Next(3_000)}},"pages_per_visit":{{Math.Round(random.NextDouble() * 8, 2)}},"last_activity":"{{Activities[random.Next(Activities.Length)]}}","occupation":"professional","country":"{{Countries[random.Next(Countries.Length)]}}","company_size":{{(random.Next(4) == 0 ? "null" : random.Next(1, 500).ToString(CultureInfo.InvariantCulture))}},"do_not_email":{{(random.Next(5) == 0 ? "true" : "false")}},"requested_demo":{{(random.Next(3) == 0 ? "true" : "false")}}}""");
        return new PredictionRecord(
            "bench-" + (i / 256).ToString(CultureInfo.InvariantCulture),
            LeadId(i),
            WindowFrom.AddTicks((long)(i * (TimeSpan.FromDays(30).Ticks / (double)Rows))),
            Model,
            1,
            ServingArms.Champion,
            score,
            score > 0.7 ? "hot" : score > 0.3 ? "warm" : "cold",
            850,
            json);
    }

    private static string LeadId(int i) => "crm-" + i.ToString("D8", CultureInfo.InvariantCulture);

    private static string AdminConnectionString => Environment.GetEnvironmentVariable("LEADSCORING_TEST_POSTGRES")!;

    private static void AdminExecute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
