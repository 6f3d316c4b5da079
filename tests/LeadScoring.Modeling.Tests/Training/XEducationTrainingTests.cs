using LeadScoring.Modeling.Tests.Support;

namespace LeadScoring.Modeling.Tests.Training;

[Collection(TrainedModelsCollection.Name)]
public sealed class XEducationTrainingTests(TrainedModels models)
{
    [Fact]
    public void LightGbm_reaches_an_auc_of_at_least_0_85_on_held_out_leads()
    {
        Assert.True(models.XEducation.Metrics.Auc >= 0.85, $"held-out ROC AUC {models.XEducation.Metrics.Auc:F4}");
    }

    [Fact]
    public void LightGbm_beats_the_logistic_regression_baseline()
    {
        var m = models.XEducation;

        Assert.Equal("logistic-regression", m.Baseline.Learner);
        Assert.True(m.Metrics.Auc > m.Baseline.Auc, $"LightGBM {m.Metrics.Auc:F4} vs baseline {m.Baseline.Auc:F4}");
    }

    [Fact]
    public void Calibrated_scores_mean_what_they_say()
    {
        var m = models.XEducation;

        Assert.True(m.Metrics.Ece < 0.05, $"expected calibration error {m.Metrics.Ece:F4}");
        Assert.Equal(m.Data.TestRows, m.Metrics.Calibration.Sum(b => b.Count));
        Assert.All(m.Metrics.Calibration.Where(b => b.Count >= 100), b => Assert.InRange(b.ObservedRate - b.MeanScore, -0.1, 0.1));
    }

    [Fact]
    public void The_split_is_stratified_80_20_because_the_schema_has_no_timestamp()
    {
        var data = models.XEducation.Data;

        Assert.Equal("stratified-random", data.Split);
        Assert.Equal(9240, data.Rows);
        Assert.Equal(1848, data.TestRows);
        Assert.Equal(7392, data.TrainRows);
        Assert.Equal(3561 / 9240.0, data.PositiveRate, 1e-12);
    }

    [Fact]
    public void Lineage_records_the_data_hash_parameters_and_code_version()
    {
        var m = models.XEducation;

        Assert.Equal("1426dffd94246b8c7f08d1080d9c04115a0c4b67eadcba1ed9d2fa10d3762802", m.Data.Sha256);
        Assert.Equal("leads-x-education.csv", m.Data.File);
        Assert.Equal(42, m.Parameters.Seed);
        Assert.Equal("platt", m.Parameters.Calibration);
        Assert.NotEqual("unknown", m.CodeVersion);
        Assert.Equal(64, m.Files["model.zip"].Length);
    }

    [Fact]
    public void Columns_that_leak_the_label_are_not_features()
    {
        var features = models.XEducation.Schema.Features.Select(f => f.Name).ToHashSet();

        foreach (var leak in new[] { "Tags", "Lead Quality", "Lead Profile", "Last Activity", "Last Notable Activity", "Asymmetrique Activity Score" })
        {
            Assert.DoesNotContain(leak, features);
        }
    }

    [Fact]
    public void The_threshold_and_its_precision_and_recall_are_reported()
    {
        var m = models.XEducation.Metrics;

        Assert.InRange(m.Threshold, 0.05, 0.95);
        Assert.InRange(m.Precision, 0.5, 1);
        Assert.InRange(m.Recall, 0.5, 1);
        Assert.Equal(2 * m.Precision * m.Recall / (m.Precision + m.Recall), m.F1, 1e-12);
    }
}
