using System.Globalization;
using BenchmarkDotNet.Attributes;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using Npgsql;

namespace LeadScoring.Benchmarks.Storage;

/// <summary>
/// The prediction log's writer alone: batches of 256 records appended in one transaction each, reported per row
/// (rows/s = 1 / mean). SQLite in a temporary folder, with the default durability (synchronous=NORMAL) and with an
/// fsync per batch; PostgreSQL too when <c>LEADSCORING_TEST_POSTGRES</c> names a server (in a fresh database,
/// dropped afterwards). The log starts with 100,000 rows, one per lead, so its indexes are not trivially small.
/// </summary>
[MedianColumn]
public class PredictionLogBenchmarks
{
    private const int BatchSize = 256;
    private const int KnownLeads = 100_000;
    private const string Features =
        """{"lead_source":"referral","lead_origin":"form","total_visits":4,"time_on_site_sec":620,"pages_per_visit":2.5,"last_activity":"chat_conversation","occupation":"professional","country":"india","company_size":null,"do_not_email":false,"requested_demo":true}""";

    private PredictionLog _log = null!;
    private string? _folder;
    private string? _postgresDatabase;
    private PredictionRecord[] _batch = [];
    private Random _random = null!;
    private int _nextBatch;
    private int _nextLead;

    /// <summary>"sqlite-normal", "sqlite-full", and "postgres" when a server is configured.</summary>
    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "";

    /// <summary>
    /// "new": increasing lead ids, what a CRM scoring arriving leads sends (the lead index grows at its right edge);
    /// "returning": random ids out of the 100,000 known leads (each row dirties another page of the lead index).
    /// </summary>
    [Params("new", "returning")]
    public string LeadIds { get; set; } = "";

    public static IEnumerable<string> Stores()
    {
        yield return "sqlite-normal";
        yield return "sqlite-full";
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("LEADSCORING_TEST_POSTGRES")))
        {
            yield return "postgres";
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        StorageOptions storage;
        if (Store == "postgres")
        {
            _postgresDatabase = "bench_predictions_" + Guid.NewGuid().ToString("N");
            AdminExecute($"CREATE DATABASE {_postgresDatabase}");
            var connection = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = _postgresDatabase };
            storage = new StorageOptions { PostgresConnectionString = connection.ConnectionString };
        }
        else
        {
            _folder = Directory.CreateTempSubdirectory("bench-predictions-").FullName;
            storage = new StorageOptions { DataDirectory = _folder };
        }

        _log = PredictionLogFactory.Create(storage, new PredictionLogOptions { SyncEveryBatch = Store == "sqlite-full" });
        _log.InitializeAsync().GetAwaiter().GetResult();
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        _batch = Enumerable.Range(0, BatchSize)
            .Select(i => new PredictionRecord("bench-request", "", at, "lead-scoring", 1, ServingArms.Champion, i / (double)BatchSize, "warm", 850, Features))
            .ToArray();
        // The leads scored before: one row each, in batches of 10,000.
        for (var start = 0; start < KnownLeads; start += 10_000)
        {
            var rows = Enumerable.Range(start, 10_000).Select(i => _batch[i % BatchSize] with { LeadId = LeadId(i) }).ToArray();
            _log.AppendAsync(rows).GetAwaiter().GetResult();
        }

        _nextLead = KnownLeads;
        _random = new Random(42);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_postgresDatabase is not null)
        {
            AdminExecute($"DROP DATABASE {_postgresDatabase} WITH (FORCE)");
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>One batch of 256 rows, one transaction.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task AppendBatch()
    {
        // A distinct request id per batch and a lead id per row, as the service would write.
        var request = "bench-" + (_nextBatch++).ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < _batch.Length; i++)
        {
            var lead = LeadIds == "new" ? _nextLead++ : _random.Next(KnownLeads);
            _batch[i] = _batch[i] with { RequestId = request, LeadId = LeadId(lead) };
        }

        return _log.AppendAsync(_batch);
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
