using System.CommandLine;
using System.Globalization;
using LeadScoring.Application.Predictions;
using LeadScoring.Core.Scoring;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore score`: batch-scores a lead file with a package folder or a registered model, optionally logging every score.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A package folder, or a registered model: NAME@VERSION, NAME@ALIAS or NAME@production", Required = true };
        var data = new Option<string>("--data") { Description = "Leads to score (.csv or .parquet); the label column, if present, is ignored", Required = true };
        var output = new Option<string>("--out") { Description = "Output file (.csv or .parquet): id (or row), score, bucket", Required = true }
            .WithExtensions(".csv", ".parquet");
        var buckets = new Option<string>("--buckets") { Description = "Score bands as name:cut-off pairs", DefaultValueFactory = _ => ScoreBuckets.Default.ToString() };
        var log = new Option<bool>("--log")
        {
            Description = "Also append every scored lead to the prediction log (request id cli-<run id>, arm champion, features as scored); " +
                          "needs a registered model, not a package folder. Off by default: without it the log is not opened",
        };
        var store = StoreOptions.Create();

        var command = new Command("score", "Score a file of leads (batch) and write scores and bands") { model, data, output, buckets, log };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, stderr) =>
        {
            var bands = ScoreBuckets.Parse(result.GetValue(buckets)!);
            var reference = result.GetValue(model)!;
            var path = result.GetValue(output)!;
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            if (!result.GetValue(log))
            {
                var package = await ModelReference.LoadAsync(reference, services.GetRequiredService<IModelRegistry>, cancellationToken).ConfigureAwait(false);
                var scored = await BatchScorer.ScoreFileAsync(package, result.GetValue(data)!, path, bands, cancellationToken: cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync(Summary(scored, package, path)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (Directory.Exists(reference))
            {
                throw new InvalidInputException(
                    $"--log needs a registered model (NAME@VERSION, NAME@ALIAS or NAME@production) so every logged score names its version; '{reference}' is a package folder (register it first: leadscore register)");
            }

            var registry = services.GetRequiredService<IModelRegistry>();
            var version = await ModelReference.ResolveAsync(registry, reference, cancellationToken).ConfigureAwait(false);
            var bytes = await registry.GetPackageAsync(version.ModelName, version.Version, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"{version.ModelName} v{version.Version} has no stored package");
            var loaded = ModelPackage.Load(bytes, $"{version.ModelName} v{version.Version}");
            var time = services.GetRequiredService<TimeProvider>();
            var run = new BatchRunLog(services.GetRequiredService<PredictionLog>(), time, version.ModelName, version.Version, loaded.Schema, BatchRunLog.NewRequestId(time));
            try
            {
                var scored = await BatchScorer.ScoreFileAsync(loaded, result.GetValue(data)!, path, bands, onScored: run.AppendAsync, cancellationToken: cancellationToken).ConfigureAwait(false);
                await run.FlushAsync(cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync(Summary(scored, loaded, path) + string.Create(
                    CultureInfo.InvariantCulture, $"; logged {run.Logged:N0} predictions of {version.ModelName} v{version.Version} as request {run.RequestId}")).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch when (run.Logged > 0)
            {
                // Committed batches stay committed (they were scored); say so, so they can be found by their request id.
                await stderr.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture, $"note: {run.Logged:N0} predictions of this run were logged before it failed (request id {run.RequestId})")).ConfigureAwait(false);
                throw;
            }
        }));
        return command;
    }

    private static string Summary(BatchResult scored, ModelPackage package, string path)
    {
        var mix = string.Join(", ", scored.BucketCounts.Select(kv => $"{kv.Key} {kv.Value}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"scored {scored.Rows} leads in {scored.Elapsed.TotalSeconds:F2} s ({scored.RowsPerSecond:N0} leads/s) with {package.Metadata.Name}; {mix}; wrote {path}");
    }
}
