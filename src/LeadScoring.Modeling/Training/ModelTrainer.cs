using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Statistics;
using LeadScoring.Modeling.Packaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScoring.Modeling.Training;

/// <summary>Where training data came from, for lineage.</summary>
/// <param name="File">File name (no directory), or null for in-memory data.</param>
/// <param name="Sha256">SHA-256 of the data file, or null.</param>
public sealed record DataSource(string? File, string? Sha256);

/// <summary>
/// Trains a lead-scoring model: splits (by time when the schema has a timestamp, else stratified at random, or as
/// the caller says), learns the category vocabulary on the training part, fits the chosen learner (LightGBM,
/// FastTree or logistic regression), fits a Platt calibrator on
/// out-of-fold training scores, picks the F1-maximising threshold on those scores, and reports held-out
/// metrics for the model and for a logistic-regression baseline on the same split.
/// </summary>
public static class ModelTrainer
{
    /// <summary>
    /// Trains on <paramref name="table"/> (which must have labels), holding out the latest rows (or a stratified random
    /// share without timestamps, see <see cref="DataSplit.Create"/>). The metadata's created time comes from
    /// <paramref name="time"/>; <paramref name="cancellationToken"/> is checked between stages (each calibration
    /// fold, each learner), so a cancelled run stops with <see cref="OperationCanceledException"/>.
    /// </summary>
    public static TrainedModel Train(
        LeadTable table,
        TrainingOptions options,
        DataSource source,
        TimeProvider time,
        string? name = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        CheckTable(table);
        return Train(table, DataSplit.Create(table, options.TestFraction, options.Seed), options, source, time, name, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on <paramref name="split"/>'s training rows of <paramref name="table"/> and holds out its test rows,
    /// e.g. a time fold's training and validation rows, so the held-out scores can be compared with another model's
    /// on the same rows (<see cref="TrainedModel.HeldOutProbabilities"/>). Otherwise as the overload without a split.
    /// </summary>
    public static TrainedModel Train(
        LeadTable table,
        DataSplit split,
        TrainingOptions options,
        DataSource source,
        TimeProvider time,
        string? name = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var labels = CheckTable(table);
        CheckSplit(split, table.Count);
        var ml = new MLContext(options.Seed);
        var train = table.Select(split.Train);
        var test = table.Select(split.Test);
        if (!HasBothOutcomes(train.Labels!) || !HasBothOutcomes(test.Labels!))
        {
            throw new LeadDataException("the training or test part has only one outcome; more data (or a larger test fraction) is needed");
        }

        progress?.Report($"split ({Name(split.Kind)}): {train.Count} training rows, {test.Count} held-out rows");

        var encoder = new FeatureEncoder(table.Schema, FeatureEncoder.LearnVocabulary(train, options.MinCategoryCount));
        var trainInputs = ModelInput.FromTable(train, encoder);
        var testInputs = ModelInput.FromTable(test, encoder);
        var testView = ModelInput.View(ml, testInputs, encoder);

        var outOfFold = OutOfFoldScores(ml, options, encoder, trainInputs, progress, cancellationToken);
        var calibrator = ml.BinaryClassification.Calibrators.Platt().Fit(ScoreView(ml, outOfFold, train.Labels!));
        var outOfFoldProbabilities = Column(calibrator.Transform(ScoreView(ml, outOfFold, train.Labels!)), "Probability");
        var threshold = ClassificationMetrics.BestF1(train.Labels, outOfFoldProbabilities).Threshold;

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report($"training {LearnerNames.Display(options.Learner)} on {train.Count} rows");
        var learner = Pipelines.For(ml, options).Fit(ModelInput.View(ml, trainInputs, encoder));
        var model = new TransformerChain<ITransformer>(learner, calibrator);
        var testScores = Column(model.Transform(testView), "Probability");
        var metrics = Evaluate(test.Labels!, testScores, threshold);
        progress?.Report($"held-out ROC AUC {metrics.Auc:F4}, PR AUC {metrics.PrAuc:F4}, Brier {metrics.Brier:F4}");

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report("training the logistic-regression baseline");
        var baselineModel = Pipelines.LogisticBaseline(ml).Fit(ModelInput.View(ml, trainInputs, encoder));
        var baselineScores = Column(baselineModel.Transform(testView), "Probability");
        var baseline = new BaselineEvaluation(
            "logistic-regression",
            ClassificationMetrics.RocAuc(test.Labels, baselineScores),
            ClassificationMetrics.AveragePrecision(test.Labels, baselineScores),
            ClassificationMetrics.LogLoss(test.Labels, baselineScores),
            ClassificationMetrics.Brier(test.Labels, baselineScores));
        progress?.Report($"baseline held-out ROC AUC {baseline.Auc:F4}");
        cancellationToken.ThrowIfCancellationRequested();

        // The reference profile describes the rows trained and held out; its score distribution uses only
        // out-of-sample scores. Rows in neither part (a time fold's later rows) are left out.
        var covered = split.Train.Concat(split.Test).ToArray();
        var referenceScores = new double[covered.Length];
        outOfFoldProbabilities.CopyTo(referenceScores, 0);
        testScores.CopyTo(referenceScores, split.Train.Length);
        var profiled = covered.Length == table.Count ? ByRow(table.Count, covered, referenceScores) : referenceScores;
        var profile = ProfileBuilder.Build(covered.Length == table.Count ? table : table.Select(covered), profiled);
        var metadata = new ModelMetadata(
            FormatVersion: 1,
            Name: name ?? table.Schema.Name,
            CreatedAt: time.GetUtcNow(),
            CodeVersion: CodeVersion.Current,
            Schema: table.Schema,
            Vocabulary: encoder.Vocabulary,
            Parameters: Parameters(options),
            Metrics: metrics,
            Baseline: baseline,
            Data: new DataLineage(source.File, source.Sha256, table.Count, train.Count, test.Count, labels.Count(l => l) / (double)labels.Length, Name(split.Kind), split.TestFrom),
            Files: new Dictionary<string, string>());
        return new TrainedModel(ml, model, encoder, metadata, profile, [.. split.Test], testScores);
    }

    /// <summary>Held-out metrics of probability scores at a threshold.</summary>
    public static Evaluation Evaluate(bool[] labels, double[] scores, double threshold)
    {
        var at = ClassificationMetrics.AtThreshold(labels, scores, threshold);
        var calibration = ClassificationMetrics.Calibration(labels, scores);
        return new Evaluation(
            ClassificationMetrics.RocAuc(labels, scores),
            ClassificationMetrics.AveragePrecision(labels, scores),
            ClassificationMetrics.LogLoss(labels, scores),
            ClassificationMetrics.Brier(labels, scores),
            threshold,
            at.Precision,
            at.Recall,
            at.F1,
            ClassificationMetrics.ExpectedCalibrationError(calibration),
            calibration);
    }

    private static float[] OutOfFoldScores(MLContext ml, TrainingOptions options, FeatureEncoder encoder, List<ModelInput> inputs, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var folds = DataSplit.StratifiedFolds(inputs.Select(i => i.Label).ToArray(), options.CalibrationFolds, options.Seed);
        var scores = new float[inputs.Count];
        for (var k = 0; k < options.CalibrationFolds; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"calibration fold {k + 1}/{options.CalibrationFolds}");
            var fit = inputs.Where((_, i) => folds[i] != k).ToList();
            var heldOut = Enumerable.Range(0, inputs.Count).Where(i => folds[i] == k).ToArray();
            var model = Pipelines.For(ml, options).Fit(ModelInput.View(ml, fit, encoder));
            var foldScores = model.Transform(ModelInput.View(ml, heldOut.Select(i => inputs[i]), encoder)).GetColumn<float>("Score").ToArray();
            for (var j = 0; j < heldOut.Length; j++)
            {
                scores[heldOut[j]] = foldScores[j];
            }
        }

        return scores;
    }

    private static TrainingParameters Parameters(TrainingOptions options) => new(
        LearnerNames.Name(options.Learner),
        options.Learner == LearnerKind.LightGbm ? options.LightGbmOrDefault : null,
        options.Seed,
        options.TestFraction,
        "platt",
        options.CalibrationFolds,
        options.MinCategoryCount,
        options.Threads,
        FastTree: options.Learner == LearnerKind.FastTree ? options.FastTreeOrDefault : null,
        Logistic: options.Learner == LearnerKind.LogisticRegression ? options.LogisticOrDefault : null);

    private static bool[] CheckTable(LeadTable table)
    {
        var labels = table.Labels ?? throw new LeadDataException($"the data has no label column '{table.Schema.Label}'");
        if (table.Count < 50)
        {
            throw new LeadDataException($"only {table.Count} rows; training needs at least 50 (and a few hundred to be useful)");
        }

        return labels;
    }

    // A caller's split must name each row at most once, within the table, with rows on both sides.
    private static void CheckSplit(DataSplit split, int rows)
    {
        if (split.Train.Length == 0 || split.Test.Length == 0)
        {
            throw new ArgumentException($"the split needs training and held-out rows (got {split.Train.Length} and {split.Test.Length})", nameof(split));
        }

        var seen = new bool[rows];
        foreach (var row in split.Train.Concat(split.Test))
        {
            if (row < 0 || row >= rows)
            {
                throw new ArgumentException($"the split names row {row}, outside the table's {rows} rows", nameof(split));
            }

            if (seen[row])
            {
                throw new ArgumentException($"the split names row {row} twice", nameof(split));
            }

            seen[row] = true;
        }
    }

    // Scores in table row order, from scores in split order (train rows, then test rows).
    private static double[] ByRow(int rows, int[] order, double[] scores)
    {
        var byRow = new double[rows];
        for (var i = 0; i < order.Length; i++)
        {
            byRow[order[i]] = scores[i];
        }

        return byRow;
    }

    private static IDataView ScoreView(MLContext ml, float[] scores, bool[] labels) =>
        ml.Data.LoadFromEnumerable(scores.Select((s, i) => new ScoredLabel { Score = s, Label = labels[i] }));

    private static double[] Column(IDataView view, string column) =>
        view.GetColumn<float>(column).Select(v => (double)v).ToArray();

    private static bool HasBothOutcomes(bool[] labels) => labels.Contains(true) && labels.Contains(false);

    private static string Name(SplitKind kind) => kind == SplitKind.Time ? "time" : "stratified-random";

    private sealed class ScoredLabel
    {
        public float Score { get; set; }

        public bool Label { get; set; }
    }
}
