using System.Globalization;
using LeadScoring.Application.Predictions;
using LeadScoring.Storage;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Time.Testing;
using Parquet.Schema;

namespace LeadScoring.Application.Tests.Predictions;

/// <summary>
/// The predictions export on a real store (SQLite file or PostgreSQL database): CSV and Parquet read back with
/// their libraries, the outcome join, the model filter, an empty range, and two schema versions mixed.
/// </summary>
public abstract class PredictionExportContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] FixedColumns =
    [
        "request_id", "lead_id", "scored_at", "model_name", "model_version", "arm", "score", "band", "latency_us", "shadow_model_version", "shadow_score",
    ];

    private readonly string _output = Directory.CreateTempSubdirectory("leadscoring-export-").FullName;

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));

    protected PredictionLog Log { get; private set; } = null!;

    protected OutcomeStore Outcomes { get; private set; } = null!;

    private PredictionExport Export => new(Log, Outcomes, Clock);

    public async Task InitializeAsync()
    {
        var options = await CreateStoreAsync();
        Log = PredictionLogFactory.Create(options, null, Clock);
        Outcomes = OutcomeStoreFactory.Create(options, Clock);
    }

    public async Task DisposeAsync()
    {
        await Log.DisposeAsync();
        await Outcomes.DisposeAsync();
        await DropStoreAsync();
        Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task A_csv_export_reads_back_with_typed_features_of_both_versions_and_the_current_outcome()
    {
        var seeded = await SeedAsync();

        var result = await Export.ExportAsync(new PredictionRange(T0, T0.AddDays(1)), Out("all.csv"));
        var (header, rows) = ExportFiles.ReadCsv(Out("all.csv"));

        Assert.Equal(4, result.Rows);
        Assert.Equal(3, result.WithOutcome);
        Assert.Equal(Out("all.csv"), result.Path);
        Assert.Equal([.. FixedColumns, "visits", "source", "opted_out", "tier", "country", "outcome_converted", "outcome_revenue", "outcome_occurred_at"], header);
        Assert.Equal(seeded.Select(s => s.LeadId), rows.Select(r => r["lead_id"]));
        for (var i = 0; i < seeded.Length; i++)
        {
            var (row, record) = (rows[i], seeded[i]);
            Assert.Equal(record.RequestId, row["request_id"]);
            Assert.Equal(record.ScoredAt, DateTimeOffset.Parse(row["scored_at"], CultureInfo.InvariantCulture));
            Assert.EndsWith("Z", row["scored_at"], StringComparison.Ordinal);
            Assert.Equal(record.ModelName, row["model_name"]);
            Assert.Equal(record.ModelVersion.ToString(CultureInfo.InvariantCulture), row["model_version"]);
            Assert.Equal(record.Score, double.Parse(row["score"], CultureInfo.InvariantCulture));
            Assert.Equal(record.Band, row["band"]);
            Assert.Equal(record.LatencyMicroseconds.ToString(CultureInfo.InvariantCulture), row["latency_us"]);
        }

        // v1: a string with a comma, quotes and a line break survives RFC 4180 quoting; v2's country is empty.
        Assert.Equal(("4", "a, \"quoted\"\nline", "true", "1", ""), (rows[0]["visits"], rows[0]["source"], rows[0]["opted_out"], rows[0]["tier"], rows[0]["country"]));
        Assert.Equal(("2", "0.25"), (rows[1]["shadow_model_version"], rows[1]["shadow_score"]));
        Assert.Equal(("", ""), (rows[0]["shadow_model_version"], rows[0]["shadow_score"]));
        // v2: no opted_out; tier is a string in v2 and a number in v1, so the column is text.
        Assert.Equal(("", "web", "", "gold", "india"), (rows[2]["visits"], rows[2]["source"], rows[2]["opted_out"], rows[2]["tier"], rows[2]["country"]));
        // Lead a's outcome was replaced: the current one is joined. Lead b has none; lead c did not convert.
        Assert.Equal(("true", "1200", "2030-01-05T10:00:00.000000Z"), (rows[0]["outcome_converted"], rows[0]["outcome_revenue"], rows[0]["outcome_occurred_at"]));
        Assert.Equal(("true", "1200"), (rows[2]["outcome_converted"], rows[2]["outcome_revenue"]));
        Assert.Equal(("", "", ""), (rows[1]["outcome_converted"], rows[1]["outcome_revenue"], rows[1]["outcome_occurred_at"]));
        Assert.Equal(("false", ""), (rows[3]["outcome_converted"], rows[3]["outcome_revenue"]));
    }

    [Fact]
    public async Task A_parquet_export_reads_back_typed_with_nulls_and_one_row_group_per_page()
    {
        var seeded = await SeedAsync();
        var many = Enumerable.Range(0, 11_000).Select(i => Record($"bulk-{i:D5}", T0.AddHours(5).AddTicks(i * 10), "lead-scoring", 1, V1Features)).ToList();
        foreach (var batch in many.Chunk(5_000))
        {
            await Log.AppendAsync(batch);
        }

        var result = await Export.ExportAsync(new PredictionRange(T0, T0.AddDays(1)), Out("all.parquet"));
        var (fields, rowGroups, columns) = await ExportFiles.ReadParquetAsync(Out("all.parquet"));

        Assert.Equal(11_004, result.Rows);
        Assert.Equal(3, rowGroups);
        Assert.Equal([.. FixedColumns, "visits", "source", "opted_out", "tier", "country", "outcome_converted", "outcome_revenue", "outcome_occurred_at"], fields.Select(f => f.Name));
        Assert.Equal(
            [typeof(string), typeof(string), typeof(DateTime), typeof(string), typeof(int), typeof(string), typeof(double), typeof(string), typeof(long), typeof(int), typeof(double),
             typeof(double), typeof(string), typeof(bool), typeof(string), typeof(string), typeof(bool), typeof(double), typeof(DateTime)],
            // Parquet.Net reads a UTF-8 string column as ReadOnlyMemory<char>.
            fields.Select(f => f.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : f.ClrType));
        Assert.Equal(Enumerable.Repeat(false, 9).Concat(Enumerable.Repeat(true, 10)), fields.Select(f => f.IsNullable));

        Assert.Equal([.. seeded.Select(s => s.LeadId), .. many.Select(m => m.LeadId)], columns["lead_id"].Cast<string>());
        Assert.Equal([.. seeded.Select(s => s.Score), .. many.Select(m => m.Score)], columns["score"].Cast<double>());
        Assert.Equal(seeded[1].ScoredAt.UtcDateTime, columns["scored_at"][1]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)columns["scored_at"][0]!).Kind);
        Assert.Equal(many[^1].ScoredAt.UtcDateTime, columns["scored_at"][^1]);
        Assert.Equal([4.0, 4.0, null, 2.5], columns["visits"].Take(4));
        Assert.Equal([true, true, null, null], columns["opted_out"].Take(4));
        Assert.Equal(["1", "1", "gold", null], columns["tier"].Take(4));
        Assert.Equal([null, null, "india", null], columns["country"].Take(4));
        Assert.Equal([null, 2, null, null], columns["shadow_model_version"].Take(4));
        Assert.Equal([true, null, true, false], columns["outcome_converted"].Take(4));
        Assert.Equal([1200.0, null, 1200.0, null], columns["outcome_revenue"].Take(4));
        Assert.Equal(new DateTime(2030, 1, 5, 10, 0, 0, DateTimeKind.Utc), columns["outcome_occurred_at"][0]);
        Assert.All(columns["outcome_converted"].Skip(4), Assert.Null);
    }

    [Fact]
    public async Task The_model_filter_keeps_one_version_or_every_version_of_one_model_and_only_their_features()
    {
        await SeedAsync();

        var v1 = await Export.ExportAsync(new PredictionRange(T0, T0.AddDays(1), "lead-scoring", 1), Out("v1.csv"));
        var model = await Export.ExportAsync(new PredictionRange(T0, T0.AddDays(1), "lead-scoring"), Out("model.csv"));
        var (v1Header, v1Rows) = ExportFiles.ReadCsv(Out("v1.csv"));
        var (_, modelRows) = ExportFiles.ReadCsv(Out("model.csv"));

        Assert.Equal(2, v1.Rows);
        Assert.Equal(["a", "b"], v1Rows.Select(r => r["lead_id"]));
        Assert.Equal(["visits", "source", "opted_out", "tier"], v1.Features);
        Assert.DoesNotContain("country", v1Header);
        Assert.Equal(3, model.Rows);
        Assert.Equal(["a", "b", "a"], modelRows.Select(r => r["lead_id"]));
        Assert.All(modelRows, r => Assert.Equal("lead-scoring", r["model_name"]));
    }

    [Fact]
    public async Task An_empty_range_writes_a_header_only_csv_and_a_valid_empty_parquet_file()
    {
        await SeedAsync();

        var csv = await Export.ExportAsync(new PredictionRange(T0.AddDays(10), T0.AddDays(11)), Out("empty.csv"));
        var parquet = await Export.ExportAsync(new PredictionRange(T0.AddDays(10), T0.AddDays(11)), Out("empty.parquet"));
        var (fields, rowGroups, columns) = await ExportFiles.ReadParquetAsync(Out("empty.parquet"));

        Assert.Equal((0, 0), (csv.Rows, parquet.Rows));
        Assert.Equal(
            ["request_id,lead_id,scored_at,model_name,model_version,arm,score,band,latency_us,shadow_model_version,shadow_score,outcome_converted,outcome_revenue,outcome_occurred_at"],
            File.ReadAllLines(Out("empty.csv")));
        Assert.Equal([.. FixedColumns, "outcome_converted", "outcome_revenue", "outcome_occurred_at"], fields.Select(f => f.Name));
        Assert.Equal(0, rowGroups);
        Assert.All(columns.Values, Assert.Empty);
    }

    [Fact]
    public async Task An_output_that_cannot_be_written_is_refused_and_a_failed_export_leaves_no_file_behind()
    {
        await SeedAsync();
        var missingDirectory = Path.Combine(_output, "no-such-directory", "out.parquet");

        var error = await Assert.ThrowsAsync<PredictionExportException>(() => Export.ExportAsync(new PredictionRange(T0, T0.AddDays(1)), missingDirectory));

        Assert.StartsWith($"cannot write {missingDirectory}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_output));
    }

    [Fact]
    public async Task A_feature_column_named_like_a_log_column_is_prefixed_instead_of_clashing()
    {
        await Log.AppendAsync([Record("x", T0.AddHours(1), "lead-scoring", 1, """{"score":3,"lead_id":"crm","visits":1}""")]);

        var result = await Export.ExportAsync(new PredictionRange(T0, T0.AddDays(1)), Out("clash.csv"));
        var (header, rows) = ExportFiles.ReadCsv(Out("clash.csv"));

        Assert.Equal(["feature_score", "feature_lead_id", "visits"], result.Features);
        Assert.Equal(header.Length, header.Distinct().Count());
        Assert.Equal(("x", "crm", "3"), (rows[0]["lead_id"], rows[0]["feature_lead_id"], rows[0]["feature_score"]));
    }

    protected abstract Task<StorageOptions> CreateStoreAsync();

    protected abstract Task DropStoreAsync();

    private const string V1Features = """{"visits":4,"source":"a, \"quoted\"\nline","opted_out":true,"tier":1}""";

    private const string V2Features = """{"visits":null,"source":"web","tier":"gold","country":"india"}""";

    private string Out(string name) => Path.Combine(_output, name);

    private static PredictionRecord Record(string lead, DateTimeOffset at, string model, int version, string features, double score = 0.5) =>
        new($"req-{lead}-{at.Ticks}", lead, at, model, version, ServingArms.Champion, score, score >= 0.7 ? "hot" : "cold", 120, features);

    // Four predictions in the range (lead a under v1 and v2, b under v1 with a shadow, c by another model), one
    // outside it; outcomes for a (replaced) and c, none for b.
    private async Task<PredictionRecord[]> SeedAsync()
    {
        PredictionRecord[] inRange =
        [
            Record("a", T0.AddHours(1), "lead-scoring", 1, V1Features, 0.125),
            Record("b", T0.AddHours(2), "lead-scoring", 1, V1Features, 0.75) with { ShadowModelVersion = 2, ShadowScore = 0.25 },
            Record("a", T0.AddHours(3), "lead-scoring", 2, V2Features, 0.8125),
            Record("c", T0.AddHours(4), "other-model", 1, """{"visits":2.5}""", 0.5),
        ];
        await Log.AppendAsync([.. inRange, Record("a", T0.AddDays(2), "lead-scoring", 2, V2Features)]);
        await Outcomes.RecordAsync([new OutcomeRecord("a", false, null, T0.AddDays(3)), new OutcomeRecord("c", false, null, T0.AddDays(3))], "api:crm");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Outcomes.RecordAsync([new OutcomeRecord("a", true, 1200, T0.AddDays(4).AddHours(10))], "api:crm");
        Clock.Advance(TimeSpan.FromMinutes(1));
        return inRange;
    }
}

public sealed class SqlitePredictionExportTests : PredictionExportContract
{
    private readonly string _data = Directory.CreateTempSubdirectory("leadscoring-export-store-").FullName;

    protected override Task<StorageOptions> CreateStoreAsync() => Task.FromResult(new StorageOptions { DataDirectory = _data });

    protected override Task DropStoreAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresPredictionExportTests(PostgresTestCluster cluster) : PredictionExportContract
{
    private string _database = "";

    protected override async Task<StorageOptions> CreateStoreAsync()
    {
        _database = await cluster.CreateDatabaseAsync("export");
        return new StorageOptions { PostgresConnectionString = _database };
    }

    protected override Task DropStoreAsync() => cluster.DropDatabaseAsync(_database);
}
