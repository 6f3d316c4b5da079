using LeadScoring.Core.Statistics;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Statistics;

public sealed class MetricsReferenceTests
{
    public static TheoryData<string> Cases() => [.. SharedData.StatsReference("metrics.json").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_agree_with_scikit_learn(string name)
    {
        var c = Json.Case("metrics.json", name);
        var labels = c.GetProperty("labels").Labels();
        var scores = c.GetProperty("scores").Doubles();
        var expected = c.GetProperty("expected");

        Tolerance.Statistic(expected.Number("roc_auc"), ClassificationMetrics.RocAuc(labels, scores), "ROC AUC");
        Tolerance.Statistic(expected.Number("average_precision"), ClassificationMetrics.AveragePrecision(labels, scores), "average precision");
        Tolerance.Statistic(expected.Number("log_loss"), ClassificationMetrics.LogLoss(labels, scores), "log loss");
        Tolerance.Statistic(expected.Number("brier"), ClassificationMetrics.Brier(labels, scores), "Brier");
        var atThreshold = ClassificationMetrics.AtThreshold(labels, scores, c.Number("threshold"));
        Tolerance.Statistic(expected.Number("precision_at_threshold"), atThreshold.Precision, "precision");
        Tolerance.Statistic(expected.Number("recall_at_threshold"), atThreshold.Recall, "recall");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calibration_table_and_ece_agree_with_the_reference(string name)
    {
        var c = Json.Case("metrics.json", name);
        var labels = c.GetProperty("labels").Labels();
        var scores = c.GetProperty("scores").Doubles();
        var expected = c.GetProperty("expected");

        var table = ClassificationMetrics.Calibration(labels, scores);

        var expectedBins = expected.GetProperty("calibration_uniform_10").EnumerateArray().ToList();
        Assert.Equal(expectedBins.Select(b => b.GetProperty("bin").GetInt32()), table.Select(b => b.Bin));
        for (var i = 0; i < expectedBins.Count; i++)
        {
            Assert.Equal(expectedBins[i].GetProperty("count").GetInt64(), table[i].Count);
            Tolerance.Statistic(expectedBins[i].Number("mean_score"), table[i].MeanScore, $"bin {i} mean score");
            Tolerance.Statistic(expectedBins[i].Number("observed_rate"), table[i].ObservedRate, $"bin {i} observed rate");
        }

        Tolerance.Statistic(expected.Number("expected_calibration_error"), ClassificationMetrics.ExpectedCalibrationError(table), "ECE");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DeLong_agrees_with_the_reference(string name)
    {
        var c = Json.Case("metrics.json", name);
        var expected = c.GetProperty("expected").GetProperty("delong");

        var result = DeLong.Compare(c.GetProperty("labels").Labels(), c.GetProperty("scores").Doubles(), c.GetProperty("challenger_scores").Doubles());

        Tolerance.Statistic(expected.Number("auc_champion"), result.AucChampion, "champion AUC");
        Tolerance.Statistic(expected.Number("auc_challenger"), result.AucChallenger, "challenger AUC");
        Tolerance.Statistic(expected.Number("z"), result.Z, "z");
        Tolerance.PValue(expected.Number("pvalue"), result.PValue, "p-value");
    }
}
