using System.CommandLine;
using System.Text.Json;
using LeadScoring.Application.Retraining;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli.Commands;

/// <summary>
/// `leadscore retrain`: requests a retraining run (the service's worker takes it), or with --data works one here on
/// a file; --watch follows a run's steps and trials until it ends or waits on its promotion path. Subcommands list,
/// show, watch, approve and cancel runs. Works on the store directly, like the deploy and alerts commands.
/// </summary>
internal static class RetrainCommand
{
    /// <summary>How often --watch reads the run.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    /// <summary>The served model's configuration key (env LEADSCORING_MODEL): the model the server retrains by default too.</summary>
    private const string ServedModelKey = "LeadScoring:Serving:ModelName";

    public static Command Create()
    {
        var model = CliOptions.NameOption("--model", $"The model to retrain (default: the served one, env {Application.Configuration.EnvironmentVariables.ModelName}, else lead-scoring)");
        var reason = new Option<string?>("--reason") { Description = "Why, recorded on the run" };
        var seed = CliOptions.OptionalInt("--seed", "A seed of the run's own (default: configured, 42)", int.MinValue, int.MaxValue);
        var trials = CliOptions.OptionalInt("--trials", "Search trials (1 to 1000; default: configured, 50)", 1, 1_000);
        var data = new Option<string?>("--data") { Description = "Train on this file (.csv or .parquet) here, instead of queueing a run on the logs for the service" };
        var schema = new Option<string?>("--schema") { Description = "The data file's schema (JSON); default: the Production model's" };
        var queue = new Option<bool>("--queue") { Description = "With --data: queue the run for the service's worker (low priority, beside scoring) instead of working it here; the file must be readable by the service" };
        var watch = new Option<bool>("--watch") { Description = "Follow the run: each step and search trial as it happens, until it ends or waits on its promotion path" };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON (the API's document) when done" };
        var store = StoreOptions.Create();
        var command = new Command("retrain", "Retrain a model: search, gate against Production, and send a passing candidate to Staging (then shadow, canary, approval)")
        {
            model, reason, seed, trials, data, schema, queue, watch, json,
            List(), Show(), Watch(), Approve(), Cancel(),
        };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async (stdout, stderr) =>
        {
            var dataFile = result.GetValue(data);
            if (result.GetValue(schema) is not null && dataFile is null)
            {
                throw new InvalidInputException("--schema goes with --data: the logs are read with the Production model's schema");
            }

            if (result.GetValue(queue) && dataFile is null)
            {
                throw new InvalidInputException("--queue goes with --data: a run on the logs is always queued for the service");
            }

            if (dataFile is not null && !File.Exists(dataFile))
            {
                throw new InvalidInputException($"--data '{dataFile}' does not exist");
            }

            // A broken schema is the user's to fix (exit 1), not a run to record as failed.
            if (result.GetValue(schema) is { } schemaFile)
            {
                SchemaFiles.Load(schemaFile);
            }

            await using var services = CliHost.Build(result, store);
            var settings = services.GetRequiredService<IOptions<RetrainingSettings>>().Value;
            var request = new RetrainingRequest(
                result.GetValue(model) ?? services.GetRequiredService<IConfiguration>()[ServedModelKey] ?? "lead-scoring",
                StoreOptions.Actor,
                result.GetValue(reason),
                result.GetValue(seed),
                result.GetValue(trials),
                dataFile is null ? null : Path.GetFullPath(dataFile),
                result.GetValue(schema) is { } s ? Path.GetFullPath(s) : null);
            var run = await services.GetRequiredService<RetrainingUseCases>().RequestAsync(request, settings, cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync($"retrain: run {run.Id} of {run.ModelName} queued").ConfigureAwait(false);
            if (dataFile is not null && !result.GetValue(queue))
            {
                run = await WorkHereAsync(services, run, settings, stderr, cancellationToken).ConfigureAwait(false);
                if (run.Status == RetrainingStatus.Staged)
                {
                    await stderr.WriteLineAsync($"retrain: the service takes v{run.CandidateVersion} on from here (shadow, canary, approval; a first model straight to Production); follow it with `leadscore retrain watch {run.Id}`").ConfigureAwait(false);
                }
            }
            else if (result.GetValue(watch))
            {
                run = await FollowAsync(services, run.Id, stderr, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await stderr.WriteLineAsync("retrain: the service's worker takes it; follow it with `leadscore retrain watch " + run.Id + "`").ConfigureAwait(false);
            }

            return await PrintAsync(services, run.Id, result.GetValue(json), stdout, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command List()
    {
        var model = CliOptions.NameOption("--model", "Only this model's runs");
        var status = new Option<RetrainingStatus?>("--status") { Description = "Only runs in this status (" + string.Join(", ", RetrainingNames.StatusNames) + ")" };
        status.CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? null : r.Tokens[0].Value;
            if (text is null)
            {
                return null;
            }

            if (RetrainingNames.TryParseStatus(text, out var parsed))
            {
                return parsed;
            }

            r.AddError($"--status must be one of {string.Join(", ", RetrainingNames.StatusNames)}; got '{text}'");
            return null;
        };
        var limit = CliOptions.Int("--limit", $"How many runs to show, newest first (1 to {RetrainingStore.MaxPageSize})", 1, RetrainingStore.MaxPageSize, 20);
        var json = new Option<bool>("--json") { Description = "Print the page as JSON (the API's document)" };
        var store = StoreOptions.Create();
        var command = new Command("list", "List retraining runs, newest first: status, trigger, candidate and the latest step") { model, status, limit, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var page = await services.GetRequiredService<RetrainingUseCases>().ListAsync(new RetrainingQuery(result.GetValue(model), result.GetValue(status), PageSize: result.GetValue(limit)), cancellationToken).ConfigureAwait(false);
            var document = RetrainingPageDocument.Of(page);
            await stdout.WriteAsync(result.GetValue(json) ? ToJson(document) : RetrainText.List(document)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = CliOptions.IdArgument("run");
        var json = new Option<bool>("--json") { Description = "Print the run as JSON (the API's document: run, trials, events)" };
        var store = StoreOptions.Create();
        var command = new Command("show", "Show a run: data and snapshot, search trials, the gate's figures and reasons, the promotion step and every step taken") { id, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            return await PrintAsync(services, result.GetValue(id), result.GetValue(json), stdout, cancellationToken, exitOnStop: false).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Watch()
    {
        var id = CliOptions.IdArgument("run");
        var json = new Option<bool>("--json") { Description = "Print the run as JSON when done" };
        var store = StoreOptions.Create();
        var command = new Command("watch", "Follow a run: each step and search trial as it happens, until it ends or waits on its promotion path") { id, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async (stdout, stderr) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var run = await FollowAsync(services, result.GetValue(id), stderr, cancellationToken).ConfigureAwait(false);
            return await PrintAsync(services, run.Id, result.GetValue(json), stdout, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Approve() => Change("approve", "Approve a run awaiting approval: its candidate, serving 100 % in canary, becomes Production", (u, id, actor, why, ct) => u.ApproveAsync(id, actor, why, ct));

    private static Command Cancel() => Change("cancel", "Cancel an unfinished run (its deployment, if any, is aborted)", (u, id, actor, why, ct) => u.CancelAsync(id, actor, why, ct));

    private static Command Change(string name, string description, Func<RetrainingUseCases, long, string, string?, CancellationToken, Task<RetrainingRun>> change)
    {
        var id = CliOptions.IdArgument("run");
        var reason = new Option<string?>("--reason") { Description = "Why, recorded on the run and the deployment" };
        var store = StoreOptions.Create();
        var command = new Command(name, description) { id, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async (stdout, _) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var run = await change(services.GetRequiredService<RetrainingUseCases>(), result.GetValue(id), StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"run {run.Id}: {RetrainingNames.Of(run.Status)}: {run.StatusDetail}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // The CLI works the run it queued itself, on the thread pool (nothing else runs here), printing every step.
    private static async Task<RetrainingRun> WorkHereAsync(IServiceProvider services, RetrainingRun run, RetrainingSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<RetrainingStore>();
        var worker = StoreOptions.Actor;
        var lease = RetrainingRunner.Lease;
        var claimed = await store.ClaimAsync(run.Id, worker, lease, cancellationToken).ConfigureAwait(false)
            ?? throw new RetrainingStateException($"run {run.Id} was taken by another worker (the service's) before this one could start it; follow it with `leadscore retrain watch {run.Id}`");
        var directory = settings.SnapshotDirectoryUnder(services.GetRequiredService<IOptions<Storage.StorageOptions>>().Value.DataDirectory);
        try
        {
            return await services.GetRequiredService<RetrainingRunner>().RunAsync(claimed, worker, lease, directory, new LineProgress(stderr), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted (Ctrl+C): nobody else can work a run on this machine's file, and left unfinished it would
            // block every later run of the model, so it ends here as cancelled.
            await store.AdvanceAsync(run.Id, new RetrainingRunUpdate(RetrainingStatus.Cancelled, "interrupted at the terminal"), worker, "interrupted at the terminal", cancellationToken: CancellationToken.None).ConfigureAwait(false);
            await stderr.WriteLineAsync($"retrain: run {run.Id} cancelled (interrupted)").ConfigureAwait(false);
            throw;
        }
    }

    // Reads the run every second and prints what is new: steps, then trials; stops when it ends or its worker is done
    // and it waits on its promotion path (staged, shadow, canary, approval: days, not seconds).
    private static async Task<RetrainingRun> FollowAsync(IServiceProvider services, long id, TextWriter stderr, CancellationToken cancellationToken)
    {
        var retraining = services.GetRequiredService<RetrainingUseCases>();
        var time = services.GetRequiredService<TimeProvider>();
        int events = 0, trials = 0;
        while (true)
        {
            var detail = await retraining.GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new RetrainingNotFoundException($"no retraining run {id}");
            foreach (var e in detail.Events.Skip(events))
            {
                await stderr.WriteLineAsync(RetrainText.Event(e)).ConfigureAwait(false);
            }

            foreach (var t in detail.Trials.Skip(trials))
            {
                await stderr.WriteLineAsync(RetrainText.Trial(t, detail.Run)).ConfigureAwait(false);
            }

            events = detail.Events.Count;
            trials = detail.Trials.Count;
            if (RetrainingNames.IsTerminal(detail.Run.Status) || detail.Run.Status is RetrainingStatus.Staged or RetrainingStatus.Shadow or RetrainingStatus.Canary or RetrainingStatus.AwaitingApproval)
            {
                return detail.Run;
            }

            await Task.Delay(WatchInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> PrintAsync(IServiceProvider services, long id, bool json, TextWriter stdout, CancellationToken cancellationToken, bool exitOnStop = true)
    {
        var detail = await services.GetRequiredService<RetrainingUseCases>().GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new RetrainingNotFoundException($"no retraining run {id}");
        var document = RetrainingRunDetailDocument.Of(detail);
        await stdout.WriteAsync(json ? ToJson(document) : RetrainText.Show(document)).ConfigureAwait(false);
        var stopped = detail.Run.Status is RetrainingStatus.InsufficientData or RetrainingStatus.GateFailed or RetrainingStatus.Failed
            or RetrainingStatus.Rejected or RetrainingStatus.RolledBack or RetrainingStatus.Cancelled;
        return exitOnStop && stopped ? ExitCodes.Refused : ExitCodes.Ok;
    }

    private static Task<int> Run(ParseResult result, Func<TextWriter, TextWriter, Task<int>> body) => CliErrors.Run(result, async (stdout, stderr) =>
    {
        try
        {
            return await body(stdout, stderr).ConfigureAwait(false);
        }
        catch (RetrainingConflictException e) when (e.ActiveRunId is { } active)
        {
            await stderr.WriteLineAsync($"error: {e.Message}; see it with `leadscore retrain show {active}`, or stop it with `leadscore retrain cancel {active}`").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        catch (Exception e) when (e is RetrainingConflictException or RetrainingNotFoundException or RetrainingStateException or Storage.Deployments.DeploymentConflictException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
    });

    private static string ToJson<T>(T document) => JsonSerializer.Serialize(document, RetrainingJson.Options) + Environment.NewLine;

    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"retrain: {value}");
    }
}
