using System.Text.Json.Serialization;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Packaging;

/// <summary>
/// Everything recorded about a trained model: what it reads (schema, known categories), how it was made
/// (parameters, code version, data hash), and how good it is (held-out metrics, baseline). Written as
/// metadata.json in the package and copied into the registry.
/// </summary>
/// <param name="FormatVersion">Package format version (currently 1).</param>
/// <param name="Name">Model name (defaults to the schema's name).</param>
/// <param name="CreatedAt">When training finished.</param>
/// <param name="CodeVersion">Git commit of the code that trained it, or "unknown".</param>
/// <param name="Schema">The data schema (features, label, exclusions).</param>
/// <param name="Vocabulary">Known categories per categorical feature (rarer ones are "other").</param>
/// <param name="Parameters">Learner and training settings.</param>
/// <param name="Metrics">Held-out metrics of the packaged (calibrated) model.</param>
/// <param name="Baseline">Held-out metrics of the logistic-regression baseline.</param>
/// <param name="Data">Training data lineage.</param>
/// <param name="Files">SHA-256 of each file in the package besides metadata.json.</param>
public sealed record ModelMetadata(
    int FormatVersion,
    string Name,
    DateTimeOffset CreatedAt,
    string CodeVersion,
    LeadSchema Schema,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Vocabulary,
    TrainingParameters Parameters,
    Evaluation Metrics,
    BaselineEvaluation Baseline,
    DataLineage Data,
    IReadOnlyDictionary<string, string> Files);

/// <summary>Settings a model was trained with.</summary>
/// <param name="Learner">The learner's wire name: "lightgbm", "fasttree" or "logistic-regression".</param>
/// <param name="LightGbm">LightGBM settings, for a LightGBM model (null for other learners).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="TestFraction">The held-out share when the trainer made the split.</param>
/// <param name="Calibration">The calibration method ("platt").</param>
/// <param name="CalibrationFolds">Folds of the out-of-fold calibration scores.</param>
/// <param name="MinCategoryCount">Categories rarer than this share the "other" token.</param>
/// <param name="Threads">Learner threads.</param>
/// <param name="FastTree">FastTree settings, for a FastTree model (absent otherwise, and in packages older than the learner choice).</param>
/// <param name="Logistic">Logistic-regression settings, for a logistic-regression model.</param>
/// <param name="Search">The hyper-parameter search that chose these settings, when one did.</param>
public sealed record TrainingParameters(
    string Learner,
    LightGbmSettings? LightGbm,
    int Seed,
    double TestFraction,
    string Calibration,
    int CalibrationFolds,
    int MinCategoryCount,
    int Threads,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FastTreeSettings? FastTree = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LogisticSettings? Logistic = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SearchSummary? Search = null);

/// <summary>What a hyper-parameter search tried and what it chose (the trials themselves are kept with the run).</summary>
/// <param name="Strategy">How the search worked, e.g. "random search, successive halving (eta 3) over expanding time folds".</param>
/// <param name="Seed">The search's seed.</param>
/// <param name="Folds">Time-series folds.</param>
/// <param name="Trials">Trials started.</param>
/// <param name="Completed">Trials evaluated on every fold.</param>
/// <param name="Pruned">Trials dropped by successive halving.</param>
/// <param name="Failed">Trials whose training failed.</param>
/// <param name="Stopped">Trials cut short by the wall-time budget.</param>
/// <param name="Learners">The learners searched, by wire name.</param>
/// <param name="WinnerTrial">The chosen trial's number.</param>
/// <param name="WinnerMeanAuc">The chosen trial's mean ROC AUC over the folds.</param>
/// <param name="WinnerLatestFoldAuc">The chosen trial's ROC AUC on the latest fold (what chose it among the learners).</param>
public sealed record SearchSummary(
    string Strategy,
    int Seed,
    int Folds,
    int Trials,
    int Completed,
    int Pruned,
    int Failed,
    int Stopped,
    IReadOnlyList<string> Learners,
    int WinnerTrial,
    double WinnerMeanAuc,
    double WinnerLatestFoldAuc);

/// <summary>Held-out quality of a model.</summary>
/// <param name="Auc">ROC AUC.</param>
/// <param name="PrAuc">Average precision.</param>
/// <param name="LogLoss">Log loss.</param>
/// <param name="Brier">Brier score.</param>
/// <param name="Threshold">The decision threshold (maximises F1 on out-of-fold training scores).</param>
/// <param name="Precision">Precision at the threshold.</param>
/// <param name="Recall">Recall at the threshold.</param>
/// <param name="F1">F1 at the threshold.</param>
/// <param name="Ece">Expected calibration error over 10 bins.</param>
/// <param name="Calibration">Calibration table over 10 bins.</param>
public sealed record Evaluation(
    double Auc,
    double PrAuc,
    double LogLoss,
    double Brier,
    double Threshold,
    double Precision,
    double Recall,
    double F1,
    double Ece,
    IReadOnlyList<CalibrationBin> Calibration);

/// <summary>Held-out quality of the baseline learner on the same split.</summary>
public sealed record BaselineEvaluation(string Learner, double Auc, double PrAuc, double LogLoss, double Brier);

/// <summary>Where the training data came from and how it was split.</summary>
/// <param name="File">The data file's name (no directory), when trained from a file.</param>
/// <param name="Sha256">SHA-256 of the data file (or of the simulated table's content).</param>
/// <param name="Rows">Rows read.</param>
/// <param name="TrainRows">Rows used to train.</param>
/// <param name="TestRows">Rows held out.</param>
/// <param name="PositiveRate">Share of converted leads overall.</param>
/// <param name="Split">"stratified-random" or "time".</param>
/// <param name="TestFrom">For a time split, when the held-out period starts.</param>
public sealed record DataLineage(
    string? File,
    string? Sha256,
    int Rows,
    int TrainRows,
    int TestRows,
    double PositiveRate,
    string Split,
    DateTimeOffset? TestFrom);
