using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore train`: trains LightGBM (and the logistic baseline) and writes a model package.</summary>
internal static class TrainCommand
{
    private static readonly string[] FileExtensions = [".csv", ".parquet", ".zip", ".json"];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data (.csv or .parquet)", Required = true };
        var schema = new Option<string>("--schema") { Description = "Schema file (JSON) describing the data", Required = true };
        var output = new Option<string?>("--out") { Description = "Package folder to write (default: models/<schema name>)" };
        output.Validators.Add(r =>
        {
            // --out is a folder: refuse a path that names a file, or looks like one (a data file or an archive).
            if (r.Tokens.Count == 1 && r.Tokens[0].Value is var path && (File.Exists(path) || FileExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))))
            {
                r.AddError($"--out '{path}' must be a package folder, not a file (use `leadscore package` to write a .zip)");
            }
        });
        var name = new Option<string?>("--name") { Description = "Model name recorded in the package (default: the schema's name)" };
        var seed = CliOptions.Int("--seed", "Seed for the split, folds and learner", int.MinValue, int.MaxValue, 42);
        var testFraction = CliOptions.Double("--test-fraction", "Share of rows held out for evaluation, in (0, 1)", f => f is > 0 and < 1, "between 0 and 1 (exclusive)", 0.2);
        var leaves = CliOptions.OptionalInt("--leaves", "LightGBM: maximum leaves per tree (2 to 1024)", 2, 1024);
        var iterations = CliOptions.OptionalInt("--iterations", "LightGBM: boosting rounds (1 to 10000)", 1, 10_000);
        var learningRate = CliOptions.OptionalDouble("--learning-rate", "LightGBM: learning rate, in (0, 1]", r => r is > 0 and <= 1, "in (0, 1]");
        var minLeaf = CliOptions.OptionalInt("--min-leaf", "LightGBM: minimum leads per leaf (1 to 1000000)", 1, 1_000_000);
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
            await using var services = CliHost.Build(result);
            var trained = ModelTrainer.Train(table, options, source, services.GetRequiredService<TimeProvider>(), result.GetValue(name), new SyncProgress(stderr), cancellationToken);
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
