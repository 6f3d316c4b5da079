using System.Globalization;
using LeadScoring.Application.Predictions;
using LeadScoring.Application.Registration;
using LeadScoring.Core.Data;
using LeadScoring.Core.Retraining;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Validation;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Modeling.Tuning;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;

namespace LeadScoring.Application.Retraining;

/// <summary>
/// Works one claimed run from its data to Staging: takes the mature labelled leads from the logs (or the run's file),
/// writes the training snapshot and trains only from what was written (so the snapshot reproduces the run), searches
/// hyper-parameters over expanding time folds (every trial stored as it finishes), trains the winner with the latest
/// fold held out, compares it with the Production model on that same fold, and registers a passing candidate as
/// Staging with its lineage. Each step is recorded on the run before it starts; a stop (too few labels, a failed
/// gate, an error) ends the run with its reason and promotes nothing.
/// </summary>
public sealed class RetrainingRunner(
    RetrainingStore store,
    IModelRegistry registry,
    ModelRegistration registration,
    FeedbackReader feedback,
    IBackgroundCompute compute,
    TimeProvider time)
{
    /// <summary>The actor a run's own steps are recorded under.</summary>
    public const string Actor = "retraining";

    /// <summary>How long a worker's claim on a run lasts without renewal; the search renews it every <see cref="FlushInterval"/>.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>How often stored trials are brought up to date and the claim renewed while the search runs.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="run"/> (claimed by <paramref name="worker"/> for <paramref name="lease"/>) and returns it as it ended up.</summary>
    public async Task<RetrainingRun> RunAsync(RetrainingRun run, string worker, TimeSpan lease, string snapshotDirectory, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var context = new RunContext(run, worker, lease, RetrainingRunOptions.Parse(run.OptionsJson), progress);
        try
        {
            return await WorkAsync(context, snapshotDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (RetrainingStateException)
        {
            // Cancelled by a person, or the claim was lost to another worker: the run is theirs now.
            return await store.GetAsync(run.Id, CancellationToken.None).ConfigureAwait(false) ?? run;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the claim runs out and the run is handed out again.
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            try
            {
                return await AdvanceAsync(context, RetrainingStatus.Failed, $"{e.GetType().Name}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (RetrainingStateException)
            {
                return await store.GetAsync(run.Id, CancellationToken.None).ConfigureAwait(false) ?? run;
            }
        }
    }

    private async Task<RetrainingRun> WorkAsync(RunContext context, string snapshotDirectory, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var options = context.Options;

        await AdvanceAsync(context, RetrainingStatus.PreparingData, options.DataFile is null ? "reading mature labelled leads from the prediction log and outcomes" : $"reading {Path.GetFileName(options.DataFile)}", cancellationToken).ConfigureAwait(false);
        var production = await registry.GetProductionAsync(run.ModelName, cancellationToken).ConfigureAwait(false);
        var champion = production is null ? null : await new VersionPackages(registry).GetAsync(run.ModelName, production.Version, cancellationToken).ConfigureAwait(false);
        var schema = options.SchemaFile is { } schemaFile
            ? SchemaJson.Parse(File.ReadAllText(schemaFile))
            : champion?.Package?.Schema ?? throw new InvalidOperationException(production is null
                ? $"model '{run.ModelName}' has no Production version: give a data file and its schema for a first model"
                : $"{run.ModelName} v{production.Version} cannot be loaded: {champion?.Problem}");

        var loaded = await LoadDataAsync(context, schema, cancellationToken).ConfigureAwait(false);
        if (loaded.Insufficient is { } shortage)
        {
            return await AdvanceAsync(context, RetrainingStatus.InsufficientData, shortage, cancellationToken, dataJson: loaded.DataJson).ConfigureAwait(false);
        }

        // Train from the snapshot as written, not from the rows in memory: what is kept is what was trained on.
        Directory.CreateDirectory(snapshotDirectory);
        // A run restarted after its worker died writes a snapshot of its own: the data may have moved on meanwhile.
        var written = TrainingSnapshot.Write(loaded.Table!, snapshotDirectory, string.Create(CultureInfo.InvariantCulture, $"run-{run.Id}-{time.GetUtcNow():yyyyMMddTHHmmssfff}"));
        var table = TrainingSnapshot.Read(written.Path, loaded.Table!.Schema, written.Sha256);
        var data = loaded.Document! with { SnapshotFile = written.Path, Sha256 = written.Sha256, Bytes = written.Bytes };

        await AdvanceAsync(context, RetrainingStatus.Searching, Text($"{options.Trials} trials over {options.Folds} time folds of {table.Count:N0} leads"), cancellationToken, dataJson: data.ToJson()).ConfigureAwait(false);
        var search = await SearchAsync(context, table, cancellationToken).ConfigureAwait(false);
        if (search.Winner is not { } best)
        {
            throw new InvalidOperationException(Text($"the search's wall-time budget ({options.WallTimeSeconds:0} s) ran out before any of its {search.Trials.Count} trials was scored on every fold"));
        }

        var searchDocument = RetrainingSearchDocument.From(search);
        await AdvanceAsync(context, RetrainingStatus.Training, Text($"training trial {best.Number} ({best.Parameters}) with the latest fold held out"), cancellationToken, searchJson: searchDocument.ToJson()).ConfigureAwait(false);
        var latest = search.LatestFold;
        var source = new DataSource(Path.GetFileName(written.Path), written.Sha256);
        var trainingOptions = best.ToTrainingOptions(new TrainingOptions(Seed: options.Seed, Threads: options.Threads));
        var trained = await compute.RunAsync(
            () => ModelTrainer.Train(table, search.LatestFoldSplit(), trainingOptions, source, time, run.ModelName, null, cancellationToken).WithSearch(search.Summary()),
            cancellationToken).ConfigureAwait(false);

        await AdvanceAsync(context, RetrainingStatus.Gating, production is null ? "no Production model to compare with" : Text($"against {run.ModelName} v{production.Version} on the latest fold ({latest.Validation.Count:N0} leads from {latest.ValidationFrom:yyyy-MM-dd})"), cancellationToken).ConfigureAwait(false);
        var gate = await GateAsync(context, table, latest, trained, production, champion?.Package, cancellationToken).ConfigureAwait(false);
        if (!gate.Passed)
        {
            return await AdvanceAsync(context, RetrainingStatus.GateFailed, gate.Summary, cancellationToken, gateJson: gate.ToJson()).ConfigureAwait(false);
        }

        var package = ModelPackage.Pack(trained);
        var reason = Text($"retraining run {run.Id} ({RetrainingNames.Of(run.Trigger)})");
        var version = await registration.RegisterAsync(
            new RegistrationRequest(run.ModelName, package.ToArchive(), Actor, Text($"retrained by run {run.Id}: {LearnerNames.Name(best.Learner)}, latest-fold ROC AUC {trained.Metadata.Metrics.Auc:0.####}"), Lineage(run, data, searchDocument, trained), reason, AllowSchemaChange: options.SchemaFile is not null),
            cancellationToken).ConfigureAwait(false);
        await registry.TransitionAsync(run.ModelName, version.Version, ModelStage.Staging, Actor, reason, cancellationToken).ConfigureAwait(false);
        return await AdvanceAsync(context, RetrainingStatus.Staged, Text($"registered {run.ModelName} v{version.Version} as Staging: {gate.Summary}"), cancellationToken, gateJson: gate.ToJson(), candidateVersion: version.Version).ConfigureAwait(false);
    }

    private async Task<LoadedData> LoadDataAsync(RunContext context, LeadSchema schema, CancellationToken cancellationToken)
    {
        var options = context.Options;
        if (options.DataFile is { } file)
        {
            var table = await compute.RunAsync(() => LeadFile.Read(file, schema, LabelUse.Required), cancellationToken).ConfigureAwait(false);
            var positives = table.Labels!.Count(l => l);
            var document = new RetrainingDataDocument(
                "file", Path.GetFileName(file), LeadFile.Sha256(file), null, null, null, table.Count, positives,
                table.Timestamps is { Length: > 0 } t ? t.Min() : null, table.Timestamps is { Length: > 0 } u ? u.Max() : null, null, null, 0);
            return table.Count < options.MinLabelled
                ? new LoadedData(null, document, Text($"{table.Count:N0} labelled leads in {Path.GetFileName(file)}; retraining needs at least {options.MinLabelled:N0}"))
                : new LoadedData(table, document, null);
        }

        var now = time.GetUtcNow();
        var loaded = await RetrainingDataset.LoadAsync(
            feedback, context.Run.ModelName, schema, now, new TrainingSetOptions { Lookback = TimeSpan.FromDays(options.LookbackDays), MinLabelled = options.MinLabelled }, cancellationToken).ConfigureAwait(false);
        return loaded switch
        {
            TrainingSet set => new LoadedData(
                set.Table,
                new RetrainingDataDocument("logs", null, null, null, null, null, set.Rows, set.Positives, set.From, set.To, set.KnownBy, set.DelayP90.TotalHours, set.Skipped),
                null),
            InsufficientTrainingData lacking => new LoadedData(
                null,
                new RetrainingDataDocument("logs", null, null, null, null, null, lacking.Labelled, lacking.Positives, lacking.ScoredFrom, lacking.ScoredTo, lacking.KnownBy, lacking.DelayP90?.TotalHours, lacking.Skipped),
                lacking.Message),
            _ => throw new InvalidOperationException("unknown training-set result " + loaded.GetType().Name),
        };
    }

    private async Task<SearchResult> SearchAsync(RunContext context, LeadTable table, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var progress = new TrialProgress(context.Run.Id, context.Progress);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var searchOptions = new HyperparameterSearchOptions(
            Trials: options.Trials,
            Folds: options.Folds,
            WallTime: options.WallTimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Seed: options.Seed,
            Threads: options.Threads,
            Learners: options.Learners.Count == 0 ? null : [.. options.Learners.Select(LearnerNames.Parse)]);
        var searching = compute.RunAsync(() => HyperparameterSearch.Run(table, searchOptions, time, progress, stop.Token), stop.Token);
        while (!searching.IsCompleted)
        {
            // Stored trials follow the search every few seconds (for `retrain --watch` and GET /retraining/runs/{id}), and the claim with them.
            await Task.WhenAny(searching, Task.Delay(FlushInterval, time, stop.Token)).ConfigureAwait(false);
            await StoreTrialsAsync(context, progress.TakeChanged(), cancellationToken).ConfigureAwait(false);
            if (!searching.IsCompleted && !await store.RenewClaimAsync(context.Run.Id, context.Worker, context.Lease, cancellationToken).ConfigureAwait(false))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw new RetrainingStateException(Text($"run {context.Run.Id}: the claim of {context.Worker} was lost (cancelled, or taken over)"));
            }
        }

        var result = await searching.ConfigureAwait(false);
        await StoreTrialsAsync(context, [.. result.Trials.Select(t => RetrainingSearchDocument.ToStored(context.Run.Id, t))], cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task StoreTrialsAsync(RunContext context, IReadOnlyList<RetrainingTrial> trials, CancellationToken cancellationToken)
    {
        if (trials.Count > 0)
        {
            await store.AddTrialsAsync(context.Run.Id, trials, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RetrainingGateDocument> GateAsync(RunContext context, LeadTable table, TimeFold latest, TrainedModel trained, ModelVersion? production, ModelPackage? champion, CancellationToken cancellationToken)
    {
        var options = context.Options;
        if (production is null || champion is null)
        {
            return RetrainingGateDocument.FirstModel(trained.Metadata.Metrics.Auc, trained.Metadata.Metrics.Ece);
        }

        var heldOut = table.Select(trained.HeldOutRows);
        var championScores = await compute.RunAsync(() => champion.Scorer.Score(heldOut), cancellationToken).ConfigureAwait(false);
        var gateOptions = new GateOptions(options.MinRelativeAucGain, options.MinCapturedGain, options.DailyCapacity, options.EceTolerance);
        var result = PromotionGate.Evaluate(new GateInput(heldOut.Labels!, heldOut.Timestamps!, championScores, [.. trained.HeldOutProbabilities]), gateOptions);
        return RetrainingGateDocument.From(result, production.Version, latest);
    }

    private static Dictionary<string, string> Lineage(RetrainingRun run, RetrainingDataDocument data, RetrainingSearchDocument search, TrainedModel trained) => new(StringComparer.Ordinal)
    {
        ["retraining_run"] = run.Id.ToString(CultureInfo.InvariantCulture),
        ["trigger"] = RetrainingNames.Of(run.Trigger),
        ["snapshot_sha256"] = data.Sha256 ?? "",
        ["rows"] = data.Rows.ToString(CultureInfo.InvariantCulture),
        ["data_from"] = data.From?.ToString("O", CultureInfo.InvariantCulture) ?? "",
        ["data_to"] = data.To?.ToString("O", CultureInfo.InvariantCulture) ?? "",
        ["search_trials"] = search.Trials.ToString(CultureInfo.InvariantCulture),
        ["learner"] = search.Best.Learner,
        ["parameters"] = search.Best.ParametersJson,
        ["cv_mean_auc"] = search.Best.MeanAuc?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "",
        ["latest_fold_auc"] = search.Best.LatestFoldAuc?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "",
        ["code_version"] = trained.Metadata.CodeVersion,
    };

    private Task<RetrainingRun> AdvanceAsync(
        RunContext context,
        RetrainingStatus status,
        string? detail,
        CancellationToken cancellationToken,
        string? dataJson = null,
        string? searchJson = null,
        string? gateJson = null,
        int? candidateVersion = null)
    {
        context.Progress?.Report($"{RetrainingNames.Of(status)}: {detail}");
        return store.AdvanceAsync(
            context.Run.Id,
            new RetrainingRunUpdate(status, detail, dataJson, searchJson, gateJson, candidateVersion),
            Actor,
            detail,
            context.Worker,
            cancellationToken);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record RunContext(RetrainingRun Run, string Worker, TimeSpan Lease, RetrainingRunOptions Options, IProgress<string>? Progress);

    private sealed record LoadedData(LeadTable? Table, RetrainingDataDocument? Document, string? Insufficient)
    {
        public string? DataJson => Document?.ToJson();
    }
}
