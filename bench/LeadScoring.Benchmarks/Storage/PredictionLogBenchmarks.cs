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
/// dropped afterwards).
/// </summary>
[MedianColumn]
public class PredictionLogBenchmarks
{
    private const int BatchSize = 256;
    private const string Features =
        """{"lead_source":"referral","lead_origin":"form","total_visits":4,"time_on_site_sec":620,"pages_per_visit":2.5,"last_activity":"chat_conversation","occupation":"professional","country":"india","company_size":null,"do_not_email":false,"requested_demo":true}""";

    private PredictionLog _log = null!;
    private string? _folder;
    private string? _postgresDatabase;
    private PredictionRecord[] _batch = [];
    private int _next;

    /// <summary>"sqlite-normal", "sqlite-full", and "postgres" when a server is configured.</summary>
    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "";

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
        var at = DateTimeOffset.UtcNow;
        _batch = Enumerable.Range(0, BatchSize)
            .Select(i => new PredictionRecord(
                "bench-request", "lead-" + i.ToString(CultureInfo.InvariantCulture), at, "lead-scoring", 1, ServingArms.Champion, i / (double)BatchSize,
                "warm", 850, Features))
            .ToArray();
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
        // A distinct request id per batch, as the service would write.
        _batch[0] = _batch[0] with { RequestId = "bench-" + (_next++).ToString(CultureInfo.InvariantCulture) };
        return _log.AppendAsync(_batch);
    }

    private static string AdminConnectionString => Environment.GetEnvironmentVariable("LEADSCORING_TEST_POSTGRES")!;

    private static void AdminExecute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
