using System.CommandLine;
using System.Globalization;
using System.Text;
using LeadScoring.Application.Monitoring;
using LeadScoring.Application.Monitoring.Reports;
using LeadScoring.Core.Data;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Scoring;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>
/// `leadscore drift`: compares a file of leads with a model's reference profile (data drift and quality per
/// feature, score drift, realised performance when the file has outcomes, the CBPE estimate, business figures),
/// writes the self-contained HTML report and prints a short summary, or the report's JSON document.
/// </summary>
internal static class DriftCommand
{
    /// <summary>Where the HTML report goes without --out.</summary>
    public const string DefaultReport = "drift-report.html";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A package folder, or a registered model: NAME@VERSION, NAME@ALIAS or NAME@production", Required = true };
        var data = new Option<string>("--data")
        {
            Description = "Leads to compare with the model's reference profile (.csv or .parquet); when the file has the label column, realised performance is measured too",
            Required = true,
        };
        var schema = new Option<string?>("--schema")
        {
            Description = "Schema file describing the data file's layout (default: the model's schema); its features must be the model's, in the same order and of the same types",
        };
        var output = new Option<string>("--out") { Description = $"The HTML report to write (default: {DefaultReport} in the current directory; an existing file is replaced, a directory is refused)", DefaultValueFactory = _ => DefaultReport }
            .WithExtensions(".html", ".htm");
        var json = new Option<bool>("--json") { Description = "Print the report's JSON document (the same figures) instead of the text summary; the HTML report is still written" };
        var buckets = new Option<string>("--buckets") { Description = "Score bands as name:cut-off pairs", DefaultValueFactory = _ => ScoreBuckets.Default.ToString() };
        var store = StoreOptions.Create();
        var command = new Command("drift", "Compare a file of leads with a model's reference profile: data drift and quality per feature, score drift, performance; writes a self-contained HTML report")
        {
            model, data, schema, output, json, buckets,
        };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, stderr) =>
        {
            var bands = ScoreBuckets.Parse(result.GetValue(buckets)!);
            var reportPath = result.GetValue(output)!;
            if (Directory.Exists(reportPath))
            {
                throw new InvalidInputException($"--out {reportPath} is a directory; name the HTML file to write, e.g. {Path.Combine(reportPath, DefaultReport)}");
            }

            var dataPath = result.GetValue(data)!;
            if (!File.Exists(dataPath))
            {
                throw new InvalidInputException($"--data {dataPath}: file not found");
            }

            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var (package, version) = await LoadAsync(result.GetValue(model)!, services.GetRequiredService<IModelRegistry>, cancellationToken).ConfigureAwait(false);
            var layout = FileSchema(result.GetValue(schema), package);
            var time = services.GetRequiredService<TimeProvider>();
            var header = DriftReportHeader.Create(package.Metadata.Name, version, Path.GetFileName(dataPath), time);

            var table = LeadFile.Read(dataPath, layout, HasColumn(dataPath, layout, layout.Label) ? LabelUse.Required : LabelUse.Ignored);
            if (table.Count == 0)
            {
                throw new InvalidInputException($"--data {dataPath}: the file holds no leads (a header and no rows); there is nothing to compare");
            }

            var scores = package.Scorer.Score(table);
            var window = LeadFileWindow.From(table, scores, bands, header.GeneratedAt);
            var report = WindowMonitor.Analyze(package.Profile, window, MonitoringOptions.Default);
            await File.WriteAllTextAsync(reportPath, DriftReportHtml.Render(new DriftReportInput(header, report, package.Profile)), cancellationToken).ConfigureAwait(false);

            if (result.GetValue(json))
            {
                await stdout.WriteLineAsync(MonitoringJson.Serialize(WindowReportDocument.From(report))).ConfigureAwait(false);
                await stderr.WriteLineAsync($"wrote {reportPath}").ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteAsync(Summary(header, report, reportPath)).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The short text summary: what drifted (by impact), quality failures, score drift, performance.</summary>
    internal static string Summary(DriftReportHeader header, WindowReport report, string reportPath)
    {
        var text = new StringBuilder();
        var version = header.ModelVersion is { } v ? $" v{v}" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"drift of {header.Subject} against {header.ModelName}{version}: {report.Count:N0} leads, {report.Labelled:N0} with a known outcome");
        var measured = report.DataDrift.Count(d => d.Report is not null);
        if (report.DriftSummary is { } s)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"data drift: {s.DriftedFeatures} of {measured} measured features drifted; overall PSI {s.OverallPsi:0.###}, max PSI {s.MaxPsi:0.###}; dataset drift {(s.DatasetDrifted ? "yes" : "no")}");
        }
        else
        {
            text.AppendLine("data drift: insufficient data for every feature");
        }

        var impacts = report.DriftedFeaturesByImpact.ToDictionary(i => i.Feature, StringComparer.Ordinal);
        foreach (var d in DriftReportHtml.FeatureOrder(report).Where(d => d.Verdict == DriftVerdict.Drifted))
        {
            var impact = impacts.TryGetValue(d.Feature, out var i) ? string.Create(CultureInfo.InvariantCulture, $", estimated ROC AUC change {i.AucChange:+0.####;-0.####;0}") : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"  drifted: {d.Feature} (PSI {d.Psi:0.###} {d.Severity.ToString().ToLowerInvariant()}{impact})");
        }

        var insufficient = report.DataDrift.Where(d => d.Verdict == DriftVerdict.InsufficientData).Select(d => d.Feature).ToList();
        if (insufficient.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  insufficient data: {string.Join(", ", insufficient)}");
        }

        var failed = report.DataQuality.Where(q => q.Verdict == QualityVerdict.Failed).ToList();
        text.AppendLine(failed.Count == 0 ? "data quality: no failures" : $"data quality: {failed.Count} failed");
        foreach (var q in failed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  failed: {q.Feature}: {string.Join("; ", q.Problems)}");
        }

        var p = report.Prediction;
        text.AppendLine(p.ScoreDrift is { } score
            ? string.Create(CultureInfo.InvariantCulture, $"scores: PSI {score.Psi.Statistic:0.###} ({score.Severity.ToString().ToLowerInvariant()}), mean {p.MeanScore:0.####} (reference {p.ReferenceMeanScore:0.####})")
            : string.Create(CultureInfo.InvariantCulture, $"scores: insufficient data for score drift, mean {p.MeanScore:0.####}"));
        var estimate = report.Performance.Estimated is { } e ? string.Create(CultureInfo.InvariantCulture, $"estimated ROC AUC {e.RocAuc:0.####} (CBPE estimate)") : "no estimate";
        text.AppendLine(report.Performance.Realised is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"performance: realised ROC AUC {r.RocAuc:0.####}, PR AUC {r.PrAuc:0.####}, precision {r.AtThreshold.Precision:0.###} / recall {r.AtThreshold.Recall:0.###} at {r.AtThreshold.Threshold:0.##}, Brier {r.Brier:0.####}, ECE {r.ExpectedCalibrationError:0.####}; {estimate}")
            : $"performance: realised not measured ({report.Performance.RealisedNote}); {estimate}");
        var c = report.Business.AtCapacity;
        if (c.Labelled > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"precision at capacity ({c.Capacity}/day): {c.Precision:P1} against a base rate of {c.BaseRate:P1} (lift {c.Lift:0.##})");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"wrote {reportPath}");
        return text.ToString();
    }

    /// <summary>The package and, for a registered model, its version (null for a package folder).</summary>
    private static async Task<(ModelPackage Package, int? Version)> LoadAsync(string reference, Func<IModelRegistry> registry, CancellationToken cancellationToken)
    {
        if (Directory.Exists(reference))
        {
            return (ModelPackage.Load(reference), null);
        }

        var store = registry();
        var version = await ModelReference.ResolveAsync(store, reference, cancellationToken).ConfigureAwait(false);
        var bytes = await store.GetPackageAsync(version.ModelName, version.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"{version.ModelName} v{version.Version} has no stored package");
        return (ModelPackage.Load(bytes, $"{version.ModelName} v{version.Version}"), version.Version);
    }

    /// <summary>The layout the data file is read with: --schema when given (its features must be the model's), else the model's schema.</summary>
    private static LeadSchema FileSchema(string? path, ModelPackage package)
    {
        if (path is null)
        {
            return package.Schema;
        }

        var layout = SchemaFiles.Load(path);
        if (!layout.HasSameFeatures(package.Schema))
        {
            static string Features(LeadSchema s) => string.Join(", ", s.Features.Select(f => $"{f.Name} ({SchemaJson.TypeName(f.Type)})"));
            throw new InvalidInputException($"{path}: its features are not the model's; the model reads {Features(package.Schema)}; the schema has {Features(layout)}");
        }

        return layout;
    }

    /// <summary>Whether the file's header names <paramref name="column"/> (read from the header alone).</summary>
    private static bool HasColumn(string path, LeadSchema layout, string column)
    {
        var found = false;
        using var rows = LeadFile.ReadFields(path, layout.Delimiter, header =>
        {
            found = new HeaderColumns(header).IndexOf(column) >= 0;
            return [];
        }).GetEnumerator();
        rows.MoveNext();
        return found;
    }
}
