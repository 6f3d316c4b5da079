using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// A training set read from the logs, frozen as a Parquet snapshot and read back: every id, timestamp, label,
/// revenue and feature value (missing values, categories in two spellings, awkward doubles) comes back exactly, and
/// a changed file is refused.
/// </summary>
public sealed class TrainingSnapshotTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ApplicationHost _host = new(Now - TimeSpan.FromDays(100));

    private string Snapshots => Path.Combine(_host.DataDirectory, "snapshots");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_snapshot_of_a_logged_training_set_reads_back_value_for_value()
    {
        var set = await LoggedSetAsync();
        var table = set.Table;
        // What the set must hold for the round trip to prove anything.
        var numbers = table.Columns.OfType<NumericColumn>().ToList();
        var categories = table.Columns.OfType<CategoricalColumn>().ToList();
        Assert.Contains(numbers, c => c.Values.Any(double.IsNaN));
        Assert.Contains(numbers, c => c.Spec.Type == Core.Schema.FeatureType.Boolean && c.Values.Contains(1) && c.Values.Contains(0));
        Assert.Contains(categories, c => c.Values.Contains(null));
        Assert.Contains(table.Timestamps!, t => t.Ticks % TimeSpan.TicksPerSecond != 0);

        var file = TrainingSnapshot.Write(table, Snapshots, "run-1");

        Assert.Equal(Path.Combine(Snapshots, "run-1.parquet"), file.Path);
        Assert.Equal(LeadFile.Sha256(file.Path), file.Sha256);
        Assert.Equal(new FileInfo(file.Path).Length, file.Bytes);
        Assert.Equal(64, file.Sha256.Length);
        Assert.Single(Directory.GetFiles(Snapshots));

        var back = TrainingSnapshot.Read(file.Path, table.Schema, file.Sha256);

        Assert.Equal(table.Count, back.Count);
        Assert.Equal(table.Ids, back.Ids);
        Assert.Equal(table.Timestamps!.Select(t => t.UtcTicks), back.Timestamps!.Select(t => t.UtcTicks));
        Assert.Equal(table.Labels, back.Labels);
        Assert.Equal(Bits(table.Revenue!), Bits(back.Revenue!));
        for (var c = 0; c < table.Columns.Count; c++)
        {
            switch (table.Columns[c])
            {
                case NumericColumn n:
                    Assert.Equal(Bits(n.Values), Bits(Assert.IsType<NumericColumn>(back.Columns[c]).Values));
                    break;
                case CategoricalColumn cat:
                    Assert.Equal(cat.Values, Assert.IsType<CategoricalColumn>(back.Columns[c]).Values, StringComparer.Ordinal);
                    break;
            }
        }
    }

    [Fact]
    public async Task A_snapshot_whose_bytes_changed_is_refused_and_none_is_overwritten()
    {
        var set = await LoggedSetAsync();
        var file = TrainingSnapshot.Write(set.Table, Snapshots, "run-2.parquet");
        Assert.Equal(Path.Combine(Snapshots, "run-2.parquet"), file.Path);

        Assert.Throws<IOException>(() => TrainingSnapshot.Write(set.Table, Snapshots, "run-2"));
        Assert.Equal(file.Sha256, LeadFile.Sha256(file.Path));

        // The hash is compared case-insensitively; a wrong one, or a changed file, is refused with both hashes named.
        Assert.Equal(set.Rows, TrainingSnapshot.Read(file.Path, set.Table.Schema, file.Sha256.ToUpperInvariant()).Count);
        var wrong = new string('0', 64);
        var refused = Assert.Throws<InvalidDataException>(() => TrainingSnapshot.Read(file.Path, set.Table.Schema, wrong));
        Assert.Contains($"has SHA-256 {file.Sha256}, but the run recorded {wrong}", refused.Message, StringComparison.Ordinal);

        var bytes = await File.ReadAllBytesAsync(file.Path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file.Path, bytes);
        var tampered = Assert.Throws<InvalidDataException>(() => TrainingSnapshot.Read(file.Path, set.Table.Schema, file.Sha256));
        Assert.Contains("the file changed since it was written", tampered.Message, StringComparison.Ordinal);

        Assert.Throws<FileNotFoundException>(() => TrainingSnapshot.Read(Path.Combine(Snapshots, "missing.parquet"), set.Table.Schema, file.Sha256));
    }

    [Fact]
    public void A_table_without_ids_timestamps_or_labels_or_a_path_for_a_name_is_refused()
    {
        var table = LeadSimulator.Generate(new SimulationOptions(20, Seed: 3, Days: 1)).Table;
        var noIds = new LeadTable(table.Schema, table.Columns, null, table.Timestamps, table.Labels, table.Revenue);

        Assert.Equal("table", Assert.Throws<ArgumentException>(() => TrainingSnapshot.Write(noIds, Snapshots, "a")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => TrainingSnapshot.Write(table, Snapshots, "../a")).ParamName);
        Assert.False(Directory.Exists(Snapshots) && Directory.GetFiles(Snapshots).Length > 0);
    }

    // 300 simulated leads logged over 30 days at odd microseconds, with outcomes 5 days later; some logged with missing
    // numbers, extreme doubles and a second spelling of a category (the table keeps the first spelling, as a file read does).
    private async Task<TrainingSet> LoggedSetAsync()
    {
        var log = new RetrainingLog(_host.Services.GetRequiredService<PredictionLog>(), _host.Services.GetRequiredService<OutcomeStore>());
        var leads = RetrainingLog.Leads(300, seed: 31, "lead-");
        var schema = leads.Schema;
        var visits = schema.IndexOf("total_visits");
        var pages = schema.IndexOf("pages_per_visit");
        var source = schema.IndexOf("lead_source");
        double[] awkward = [0.1 + 0.2, 1e-300, 123456789.123456789, -0.0, double.MaxValue, 5e-324];
        string Json(int i)
        {
            var features = leads.FeaturesOf(i);
            if (i % 7 == 0)
            {
                features.Numbers[visits] = double.NaN;
            }

            if (i < awkward.Length)
            {
                features.Numbers[pages] = awkward[i];
            }

            if (i % 11 == 5 && features.Categories[source] is { } text)
            {
                features.Categories[source] = text.ToUpperInvariant();
            }

            return LeadFeaturesJson.Write(features, schema);
        }

        var start = Now - TimeSpan.FromDays(40);
        await log.ScoreAsync(leads, i => start + TimeSpan.FromMinutes(144 * i) + TimeSpan.FromTicks(10 * ((i * 7919) % 1_000_000)), json: Json);
        _host.Clock.SetUtcNow(Now);
        await log.RecordOutcomesAsync(leads, i => start + TimeSpan.FromDays(5) + TimeSpan.FromMinutes(144 * i));
        var reader = _host.Services.GetRequiredService<FeedbackReader>();
        return Assert.IsType<TrainingSet>(await RetrainingDataset.LoadAsync(reader, RetrainingLog.Model, schema, Now, new TrainingSetOptions { MinLabelled = 100 }));
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
