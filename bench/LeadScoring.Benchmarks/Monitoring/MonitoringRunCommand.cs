using System.Diagnostics;
using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Storage;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Npgsql;

namespace LeadScoring.Benchmarks.Monitoring;

/// <summary>
/// One full monitoring run as the product does it, timed in its two parts: read the window
/// (<see cref="MonitoringWindowReader.ReadAsync"/>), then wrap the columns as <see cref="MonitoringWindowData"/> and
/// run <see cref="WindowMonitor.Analyze"/> (drift on every feature, quality, prediction drift, performance, business,
/// impact ranking). The log holds 1,000,000 predictions of the simulator's source-shift world over 30 days (eleven
/// features, logged as <see cref="LeadFeaturesJson"/>), every lead with an outcome; the reference is the profile of
/// 20,000 baseline leads. Prints every run and the medians; the first run warms the JIT and is not counted.
/// <code>
/// dotnet run -c Release --project bench/LeadScoring.Benchmarks -- monitoring-run [sqlite|postgres] [--runs N] [--rows N] [--data DIR] [--breakdown]
/// </code>
/// PostgreSQL needs <c>LEADSCORING_TEST_POSTGRES</c> (a scratch database is created and dropped). <c>--data DIR</c>
/// keeps the seeded SQLite database (or, for PostgreSQL, names the database after DIR's last segment and keeps it)
/// so a second invocation skips the minute of seeding. <c>--breakdown</c> also times each analyser alone.
/// </summary>
internal static class MonitoringRunCommand
{
    public const string Name = "monitoring-run";

    private const string Model = "lead-scoring";
    private const string SeededMarker = "seeded";
    private static readonly DateTimeOffset WindowFrom = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowTo = WindowFrom.AddDays(30);

    public static async Task RunAsync(string[] args)
    {
        var store = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a)) ?? "sqlite";
        var runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var rows = int.Parse(Option(args, "--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var data = Option(args, "--data");
        var breakdown = args.Contains("--breakdown");

        var baseline = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 11));
        var reference = ProfileBuilder.Build(baseline.Table, baseline.TrueProbability);
        var schema = LeadSimulator.Schema;
        var features = schema.Features.Select(f => new MonitoringFeature(f.Name, f.Type == FeatureType.Categorical ? MonitoringFeatureKind.Categorical : MonitoringFeatureKind.Numeric)).ToArray();
        var query = new MonitoringWindowQuery(Model, WindowFrom, WindowTo, WindowTo.AddDays(60), features, 1, ServingArms.Champion);

        var (storage, cleanup) = await PrepareAsync(store, rows, data);
        try
        {
            var monitoringStore = MonitoringStoreFactory.Create(storage);
            await using (monitoringStore)
            {
                Print( $"monitoring-run {store}: {rows:N0} logged predictions, {runs} runs after one warm-up; load {Load()}");
                var reads = new List<double>();
                var computes = new List<double>();
                var fulls = new List<double>();
                var readCpus = new List<double>();
                var computeCpus = new List<double>();
                for (var run = 0; run <= runs; run++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    var allocated = GC.GetTotalAllocatedBytes(precise: true);
                    var cpu = CpuMilliseconds();
                    var watch = Stopwatch.StartNew();
                    var columns = await monitoringStore.Windows.ReadAsync(query);
                    var read = watch.Elapsed.TotalMilliseconds;
                    var readAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                    var readCpu = CpuMilliseconds() - cpu;
                    var window = WindowData(schema, columns);
                    var report = WindowMonitor.Analyze(reference, window, MonitoringOptions.Default);
                    var full = watch.Elapsed.TotalMilliseconds;
                    var computeCpu = CpuMilliseconds() - cpu - readCpu;
                    if (columns.Count != rows || report.Count != rows)
                    {
                        throw new InvalidOperationException($"read {columns.Count} leads, analysed {report.Count}, not {rows}");
                    }

                    var drifted = string.Join(",", report.DataDrift.Where(d => d.Verdict == DriftVerdict.Drifted).Select(d => d.Feature));
                    Print(
                        $"  {(run == 0 ? "warm-up" : "run " + run)}: read {read,6:F0} ms (CPU {readCpu,6:F0} ms, {readAllocated / 1e6:F0} MB)  compute {full - read,6:F0} ms (CPU {computeCpu,6:F0} ms)  full {full,6:F0} ms  [drifted: {drifted}; AUC {report.Performance.Realised?.RocAuc:F3}]");
                    if (run > 0)
                    {
                        readCpus.Add(readCpu);
                        computeCpus.Add(computeCpu);
                        reads.Add(read);
                        computes.Add(full - read);
                        fulls.Add(full);
                    }

                    if (breakdown && run == runs)
                    {
                        Breakdown(reference, window);
                    }
                }

                Print( $"median of {runs}: read {Median(reads):F0} ms  compute {Median(computes):F0} ms  full {Median(fulls):F0} ms (CPU: read {Median(readCpus):F0} ms, compute {Median(computeCpus):F0} ms); load {Load()}");
            }
        }
        finally
        {
            cleanup();
        }
    }

    /// <summary>The columns as the monitor takes them: the same arrays, no copy.</summary>
    internal static MonitoringWindowData WindowData(LeadSchema schema, MonitoringWindowColumns columns) =>
        new(schema, columns.Numeric, columns.Categorical, columns.Scores, columns.Bands, columns.Converted, columns.Revenue, columns.ScoredAtTicks);

    private static void Breakdown(ReferenceProfile reference, MonitoringWindowData window)
    {
        var options = MonitoringOptions.Default;
        var watch = Stopwatch.StartNew();
        var drift = DataDriftAnalyzer.Analyze(reference, window, options);
        var parts = new List<(string, double)> { ("data drift", watch.Elapsed.TotalMilliseconds) };
        watch.Restart();
        DataQualityAnalyzer.Analyze(reference, window, options);
        parts.Add(("data quality", watch.Elapsed.TotalMilliseconds));
        watch.Restart();
        PredictionDriftReport.Of(reference, window, options);
        parts.Add(("prediction drift", watch.Elapsed.TotalMilliseconds));
        watch.Restart();
        PerformanceReport.Of(window, options);
        parts.Add(("performance", watch.Elapsed.TotalMilliseconds));
        watch.Restart();
        BusinessReport.Of(window, options);
        parts.Add(("business", watch.Elapsed.TotalMilliseconds));
        watch.Restart();
        DriftImpact.Rank(reference, window, drift, options);
        parts.Add(("impact", watch.Elapsed.TotalMilliseconds));
        Console.WriteLine("  compute breakdown (each analyser alone): " + string.Join(", ", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1} {p.Item2:F0} ms"))));
    }

    private static async Task<(StorageOptions Storage, Action Cleanup)> PrepareAsync(string store, int rows, string? data)
    {
        if (store == "postgres")
        {
            var admin = Environment.GetEnvironmentVariable("LEADSCORING_TEST_POSTGRES");
            if (string.IsNullOrWhiteSpace(admin))
            {
                throw new InvalidOperationException("set LEADSCORING_TEST_POSTGRES to a PostgreSQL server");
            }

            var keep = data is not null;
            var name = keep ? "bench_" + Path.GetFileName(Path.TrimEndingDirectorySeparator(data!)).Replace('-', '_') : "bench_monitoring_run_" + Guid.NewGuid().ToString("N");
            var exists = (long)(AdminScalar(admin, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'") ?? 0L) > 0;
            if (!exists)
            {
                AdminScalar(admin, $"CREATE DATABASE {name}");
            }

            var storage = new StorageOptions { PostgresConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString };
            if (!exists)
            {
                await SeedAsync(storage, rows);
            }

            return (storage, () =>
            {
                NpgsqlConnection.ClearAllPools();
                if (!keep)
                {
                    AdminScalar(admin, $"DROP DATABASE {name} WITH (FORCE)");
                }
            });
        }

        var folder = data ?? Directory.CreateTempSubdirectory("bench-monitoring-run-").FullName;
        Directory.CreateDirectory(folder);
        var sqlite = new StorageOptions { DataDirectory = folder };
        if (!File.Exists(Path.Combine(folder, SeededMarker)))
        {
            await SeedAsync(sqlite, rows);
            await File.WriteAllTextAsync(Path.Combine(folder, SeededMarker), rows.ToString(CultureInfo.InvariantCulture));
        }

        return (sqlite, () =>
        {
            if (data is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        });
    }

    /// <summary>The window's predictions and outcomes, written through the stores as the service writes them.</summary>
    private static async Task SeedAsync(StorageOptions storage, int rows)
    {
        var watch = Stopwatch.StartNew();
        var leads = LeadSimulator.Generate(new SimulationOptions(rows, Seed: 12, Scenario: Scenario.SourceShift, Start: WindowFrom, Days: 30));
        var table = leads.Table;
        var schema = table.Schema;
        var columns = schema.Features.Select(f => table.Columns.First(c => c.Spec.Name == f.Name)).ToArray();
        var features = new LeadFeatures(schema.Features.Count);
        const int Batch = 10_000;
        await using (var log = PredictionLogFactory.Create(storage))
        await using (var outcomes = OutcomeStoreFactory.Create(storage))
        {
            var batch = new List<PredictionRecord>(Batch);
            for (var i = 0; i < rows; i++)
            {
                for (var f = 0; f < columns.Length; f++)
                {
                    switch (columns[f])
                    {
                        case NumericColumn n:
                            features.Numbers[f] = n.Values[i];
                            break;
                        case CategoricalColumn c:
                            features.Categories[f] = c.Values[i];
                            break;
                    }
                }

                var score = leads.TrueProbability[i];
                batch.Add(new PredictionRecord(
                    "bench-" + (i / 256).ToString(CultureInfo.InvariantCulture), table.Ids![i]!, table.Timestamps![i], Model, 1, ServingArms.Champion,
                    score, score >= 0.5 ? "hot" : score >= 0.2 ? "warm" : "cold", 850, LeadFeaturesJson.Write(features, schema)));
                if (batch.Count == Batch || i == rows - 1)
                {
                    await log.AppendAsync([.. batch]);
                    batch.Clear();
                }
            }

            for (var start = 0; start < rows; start += 50_000)
            {
                var end = Math.Min(rows, start + 50_000);
                await outcomes.RecordAsync(
                    [.. Enumerable.Range(start, end - start).Select(i => new OutcomeRecord(
                        table.Ids![i]!, table.Labels![i], table.Labels[i] ? Math.Round(table.Revenue![i], 2) : null, table.Timestamps![i].AddDays(14)))],
                    "bench");
            }
        }

        Print( $"seeded {rows:N0} predictions and outcomes in {watch.Elapsed.TotalSeconds:F0} s");
    }

    private static void Print(FormattableString line) => Console.WriteLine(FormattableString.Invariant(line));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // Both threads of the process: on a busy machine a phase's CPU time moves less than its wall time.
    private static double CpuMilliseconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static bool IsOptionValue(string[] args, string value)
    {
        var i = Array.IndexOf(args, value);
        return i > 0 && args[i - 1] is "--runs" or "--rows" or "--data";
    }

    private static object? AdminScalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
