using LeadScoring.Application.Monitoring.Reports;
using LeadScoring.Core.Data;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Scoring;

namespace LeadScoring.Application.Tests.Monitoring.Reports;

/// <summary>
/// A reference and a current window whose feature names and categories are markup (as a user's schema and CRM may
/// hold): one numeric feature that stays put, one categorical whose mix shifts, one boolean, and one numeric that is
/// almost always missing in the window (insufficient data). Seeded, so every run is the same.
/// </summary>
internal static class HostileWindow
{
    public const string ScriptFeature = "<script>alert('visits')</script>";
    public const string AttributeFeature = "source\" onmouseover=\"alert(1)";
    public const string BooleanFeature = "demo & <b>bold</b>";
    public const string SparseFeature = "sparse</title><svg onload=alert(2)>";
    public const string ImageCategory = "<img src=x onerror=alert(3)>";
    public const string LinkCategory = "<a href=\"https://evil.example/\">click</a>";

    public static readonly string[] Categories = [ImageCategory, LinkCategory, "plain", "a&b"];

    public static LeadSchema Schema { get; } = new(
        "hostile", null, "converted", LeadSchema.DefaultPositiveValues, null, null, null, null,
        [new FeatureSpec(ScriptFeature, FeatureType.Numeric), new FeatureSpec(AttributeFeature, FeatureType.Categorical),
         new FeatureSpec(BooleanFeature, FeatureType.Boolean), new FeatureSpec(SparseFeature, FeatureType.Numeric)],
        [], LeadSchema.DefaultMissingValues);

    /// <summary>The window analysed against the reference, with the header the report prints.</summary>
    public static DriftReportInput Input(DateTimeOffset generatedAt, int currentRows = 1_500)
    {
        var (referenceTable, referenceScores) = Table(2_000, seed: 1, mix: [0.4, 0.3, 0.2, 0.1], sparseMissing: 0.1);
        var reference = ProfileBuilder.Build(referenceTable, referenceScores);
        var (table, scores) = Table(currentRows, seed: 2, mix: [0.1, 0.2, 0.3, 0.4], sparseMissing: 0.97);
        var window = LeadFileWindow.From(table, scores, ScoreBuckets.Default, generatedAt);
        var report = WindowMonitor.Analyze(reference, window, MonitoringOptions.Default);
        return new DriftReportInput(new DriftReportHeader("model <i>x</i>", 3, "leads & <u>more</u>.csv", generatedAt), report, reference);
    }

    private static (LeadTable Table, double[] Scores) Table(int rows, int seed, double[] mix, double sparseMissing)
    {
        var random = new Random(seed);
        var visits = new double[rows];
        var sources = new string?[rows];
        var demo = new double[rows];
        var sparse = new double[rows];
        var scores = new double[rows];
        var labels = new bool[rows];
        for (var i = 0; i < rows; i++)
        {
            visits[i] = Math.Round(random.NextDouble() * 20, 1);
            sources[i] = Pick(random, mix);
            demo[i] = random.NextDouble() < 0.3 ? 1 : 0;
            sparse[i] = random.NextDouble() < sparseMissing ? double.NaN : random.NextDouble() * 100;
            scores[i] = 1 / (1 + Math.Exp(-((visits[i] - 10) / 4 + demo[i])));
            labels[i] = random.NextDouble() < scores[i];
        }

        var columns = new FeatureColumn[]
        {
            new NumericColumn(Schema.Features[0], visits), new CategoricalColumn(Schema.Features[1], sources),
            new NumericColumn(Schema.Features[2], demo), new NumericColumn(Schema.Features[3], sparse),
        };
        return (new LeadTable(Schema, columns, null, null, labels, null), scores);
    }

    private static string Pick(Random random, double[] mix)
    {
        var u = random.NextDouble();
        for (var k = 0; k < mix.Length - 1; k++)
        {
            if ((u -= mix[k]) < 0)
            {
                return Categories[k];
            }
        }

        return Categories[^1];
    }
}
