using System.CommandLine;
using System.Globalization;
using LeadScoring.Core.Scoring;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore score`: batch-scores a lead file with a package folder or a registered model.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A package folder, or a registered model: NAME@VERSION, NAME@ALIAS or NAME@production", Required = true };
        var data = new Option<string>("--data") { Description = "Leads to score (.csv or .parquet); the label column, if present, is ignored", Required = true };
        var output = new Option<string>("--out") { Description = "Output file (.csv or .parquet): id (or row), score, bucket", Required = true }
            .WithExtensions(".csv", ".parquet");
        var buckets = new Option<string>("--buckets") { Description = "Score bands as name:cut-off pairs", DefaultValueFactory = _ => ScoreBuckets.Default.ToString() };
        var store = StoreOptions.Create();

        var command = new Command("score", "Score a file of leads (batch) and write scores and bands") { model, data, output, buckets };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            var bands = ScoreBuckets.Parse(result.GetValue(buckets)!);
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var package = await ModelReference.LoadAsync(result.GetValue(model)!, services.GetRequiredService<IModelRegistry>, cancellationToken).ConfigureAwait(false);
            var path = result.GetValue(output)!;
            var scored = await BatchScorer.ScoreFileAsync(package, result.GetValue(data)!, path, bands, cancellationToken: cancellationToken).ConfigureAwait(false);
            var mix = string.Join(", ", scored.BucketCounts.Select(kv => $"{kv.Key} {kv.Value}"));
            await stdout.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"scored {scored.Rows} leads in {scored.Elapsed.TotalSeconds:F2} s ({scored.RowsPerSecond:N0} leads/s) with {package.Metadata.Name}; {mix}; wrote {path}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
