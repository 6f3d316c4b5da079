using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore train`: trains LightGBM (and the logistic baseline) and writes a model package.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data (.csv or .parquet)", Required = true };
        var schema = new Option<string>("--schema") { Description = "Schema file (JSON) describing the data", Required = true };
        var output = new Option<string?>("--out") { Description = "Package folder to write (default: models/<schema name>)" };
        var name = new Option<string?>("--name") { Description = "Model name recorded in the package (default: the schema's name)" };
        var seed = new Option<int>("--seed") { Description = "Seed for the split, folds and learner", DefaultValueFactory = _ => 42 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of rows held out for evaluation", DefaultValueFactory = _ => 0.2 };
        var leaves = new Option<int?>("--leaves") { Description = "LightGBM: maximum leaves per tree" };
        var iterations = new Option<int?>("--iterations") { Description = "LightGBM: boosting rounds" };
        var learningRate = new Option<double?>("--learning-rate") { Description = "LightGBM: learning rate" };
        var minLeaf = new Option<int?>("--min-leaf") { Description = "LightGBM: minimum leads per leaf" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with metrics to stdout (progress still goes to stderr)" };

        var command = new Command("train", "Train a lead-scoring model on a data file and write a model package")
        {
            data, schema, output, name, seed, testFraction, leaves, iterations, learningRate, minLeaf, json,
        };
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, stderr) =>
        {
            var dataPath = result.GetValue(data)!;
            var leadSchema = SchemaFiles.Load(result.GetValue(schema)!);
            var defaults = new LightGbmSettings();
            var options = new TrainingOptions(
                Seed: result.GetValue(seed),
                TestFraction: result.GetValue(testFraction),
                LightGbm: defaults with
                {
                    Leaves = result.GetValue(leaves) ?? defaults.Leaves,
                    Iterations = result.GetValue(iterations) ?? defaults.Iterations,
                    LearningRate = result.GetValue(learningRate) ?? defaults.LearningRate,
                    MinimumLeafCount = result.GetValue(minLeaf) ?? defaults.MinimumLeafCount,
                });
            await stderr.WriteLineAsync($"train: reading {dataPath}").ConfigureAwait(false);
            var table = LeadFile.Read(dataPath, leadSchema, LabelUse.Required);
            var source = new DataSource(Path.GetFileName(dataPath), LeadFile.Sha256(dataPath));
            var trained = ModelTrainer.Train(table, options, source, result.GetValue(name), progress: new SyncProgress(stderr));
            var directory = result.GetValue(output) ?? Path.Combine("models", trained.Metadata.Name);
            var metadata = ModelPackage.Write(trained, directory);
            await stderr.WriteLineAsync($"train: wrote package {directory}").ConfigureAwait(false);
            await stdout.WriteLineAsync(result.GetValue(json) ? Json(metadata, directory) : Summary(metadata, directory)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static string Json(ModelMetadata m, string directory)
    {
        var node = new JsonObject
        {
            ["package"] = directory,
            ["name"] = m.Name,
            ["metrics"] = new JsonObject
            {
                ["auc"] = m.Metrics.Auc,
                ["pr_auc"] = m.Metrics.PrAuc,
                ["brier"] = m.Metrics.Brier,
                ["log_loss"] = m.Metrics.LogLoss,
                ["threshold"] = m.Metrics.Threshold,
                ["precision"] = m.Metrics.Precision,
                ["recall"] = m.Metrics.Recall,
                ["f1"] = m.Metrics.F1,
                ["ece"] = m.Metrics.Ece,
                ["calibration"] = JsonSerializer.SerializeToNode(m.Metrics.Calibration, PackageJson.Options),
            },
            ["baseline"] = new JsonObject
            {
                ["learner"] = m.Baseline.Learner,
                ["auc"] = m.Baseline.Auc,
                ["pr_auc"] = m.Baseline.PrAuc,
                ["brier"] = m.Baseline.Brier,
                ["log_loss"] = m.Baseline.LogLoss,
            },
            ["rows"] = new JsonObject
            {
                ["train"] = m.Data.TrainRows,
                ["test"] = m.Data.TestRows,
            },
            ["split"] = m.Data.Split,
            ["data_sha256"] = m.Data.Sha256,
            ["code_version"] = m.CodeVersion,
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static string Summary(ModelMetadata m, string directory) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        model      {m.Name} ({m.Parameters.Learner}, {m.Data.Split} split: {m.Data.TrainRows} train / {m.Data.TestRows} test)
        ROC AUC    {m.Metrics.Auc:F4}   (logistic baseline {m.Baseline.Auc:F4})
        PR AUC     {m.Metrics.PrAuc:F4}   (baseline {m.Baseline.PrAuc:F4})
        log loss   {m.Metrics.LogLoss:F4}   Brier {m.Metrics.Brier:F4}   ECE {m.Metrics.Ece:F4}
        threshold  {m.Metrics.Threshold:F3}: precision {m.Metrics.Precision:F3}, recall {m.Metrics.Recall:F3}, F1 {m.Metrics.F1:F3}
        package    {directory}
        """);

    // Progress<T> posts to the thread pool; training is synchronous, so report in order on the calling thread.
    private sealed class SyncProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"train: {value}");
    }
}
