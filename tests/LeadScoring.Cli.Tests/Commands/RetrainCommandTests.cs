using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScoring.Application.Retraining;
using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>
/// `leadscore retrain …` from the command line, on a real store and real training: a first model worked here from a
/// file to Staging, reading runs back (text and the API's JSON), and the refusals with their exit codes.
/// </summary>
[Collection(RetrainingTrainingCollection.Name)]
public sealed class RetrainCommandTests(RetrainedFirstModel first) : IClassFixture<RetrainedFirstModel>, IDisposable
{
    private readonly Scratch _dir = new();

    private string Data => _dir["data"];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_run_works_a_first_model_to_staged_here_and_prints_the_run()
    {
        var (exit, output, error) = first.Run;

        Assert.True(exit == 0, error);
        Assert.StartsWith("run 1  lead-scoring  manual  staged\n", output, StringComparison.Ordinal);
        Assert.Contains("  trigger    from leads.parquet (requested by cli:", output, StringComparison.Ordinal);
        Assert.Matches(@"  data       file: 10,500 leads \([\d,]+ converted\) from \d{4}-", output);
        Assert.Matches(@"  snapshot   run-1-\d{8}T\d{9}\.parquet sha256 [0-9a-f]{64}\n", output);
        Assert.Matches(@"  search     3 trials \(\d completed, \d pruned, 0 failed\) in \d+\.\d s; best trial \d (lightgbm|fasttree|logistic-regression): mean ROC AUC 0\.\d+, latest fold 0\.\d+\n", output);
        Assert.Contains("  gate       PASSED\n             No Production model to compare with", output, StringComparison.Ordinal);
        Assert.Contains("  candidate  v1\n", output, StringComparison.Ordinal);
        Assert.Matches(@"steps \(6\)\n.*queued .*\n.*preparing_data .*\n.*searching .*\n.*training .*\n.*gating .*\n.*staged .*registered lead-scoring v1 as Staging", output);
        Assert.Matches(@"trials \(3\): \d completed, \d pruned, 0 failed\n$", output);

        // Every step and every fold of the search as it happens, on stderr, then where the run goes from here.
        Assert.StartsWith("retrain: run 1 of lead-scoring queued\n", error, StringComparison.Ordinal);
        Assert.Contains("retrain: searching: 3 trials over 5 time folds of 10,500 leads\n", error, StringComparison.Ordinal);
        Assert.Contains("trial 1 rung 0 fold 1: AUC 0.", error, StringComparison.Ordinal);
        Assert.Contains("retrain: staged: registered lead-scoring v1 as Staging", error, StringComparison.Ordinal);
        Assert.EndsWith("follow it with `leadscore retrain watch 1`\n", error, StringComparison.Ordinal);

        // The snapshot is kept with the run, under the data directory.
        Assert.True(File.Exists(first.Snapshot), first.Snapshot);
    }

    [Fact]
    public async Task A_second_run_while_one_is_unfinished_is_refused_with_exit_2_naming_the_active_run()
    {
        var onFile = await Leadscore.RunAsync("retrain", "--data", first.Leads, "--schema", RetrainedFirstModel.Schema, "--trials", "3", "--data-dir", first.Data);
        var onLogs = await Leadscore.RunAsync("retrain", "--reason", "again", "--data-dir", first.Data);
        var list = await Leadscore.RunAsync("retrain", "list", "--json", "--data-dir", first.Data);

        foreach (var refused in new[] { onFile, onLogs })
        {
            Assert.Equal(2, refused.Exit);
            Assert.Equal(
                "error: model 'lead-scoring' already has a retraining run in progress (1); it must finish or be cancelled first; " +
                "see it with `leadscore retrain show 1`, or stop it with `leadscore retrain cancel 1`\n",
                refused.Err);
            Assert.Equal("", refused.Out);
        }

        using var document = JsonDocument.Parse(list.Out);
        Assert.Equal([1L], document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Runs_are_listed_and_shown_as_text_and_as_the_apis_json_document()
    {
        var list = await Leadscore.RunAsync("retrain", "list", "--data-dir", first.Data);
        var listJson = await Leadscore.RunAsync("retrain", "list", "--model", "lead-scoring", "--status", "staged", "--json", "--data-dir", first.Data);
        var none = await Leadscore.RunAsync("retrain", "list", "--status", "queued", "--data-dir", first.Data);
        var show = await Leadscore.RunAsync("retrain", "show", "1", "--data-dir", first.Data);
        var json = await Leadscore.RunAsync("retrain", "show", "1", "--json", "--data-dir", first.Data);

        Assert.True(list.Exit == 0, list.Err);
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\s+id\s+model\s+trigger\s+status\s+candidate\s+updated\s+detail$", lines[0]);
        Assert.Matches(@"^\s+1\s+lead-scoring\s+manual\s+staged\s+v1\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+registered lead-scoring v1 as Staging", lines[1]);

        Assert.True(listJson.Exit == 0, listJson.Err);
        var page = JsonSerializer.Deserialize<RetrainingPageDocument>(listJson.Out, RetrainingJson.Options)!;
        Assert.Equal((1L, "staged", (int?)1, (long?)null), (Assert.Single(page.Runs).Id, page.Runs[0].Status, page.Runs[0].CandidateVersion, page.NextBefore));
        Assert.Equal((0, "no retraining runs\n"), (none.Exit, none.Out));

        // `show` prints what the run itself printed when it ended: one rendering of one document.
        Assert.Equal((0, first.Run.Out), (show.Exit, show.Out));

        Assert.True(json.Exit == 0, json.Err);
        var detail = JsonSerializer.Deserialize<RetrainingRunDetailDocument>(json.Out, RetrainingJson.Options)!;
        Assert.Equal(("lead-scoring", "manual", "staged", false, (int?)1), (detail.Run.Model, detail.Run.Trigger, detail.Run.Status, detail.Run.Finished, detail.Run.CandidateVersion));
        Assert.Equal(["queued", "preparing_data", "searching", "training", "gating", "staged"], detail.Events.Select(e => e.Step));
        Assert.Equal([1, 2, 3], detail.Trials.Select(t => t.Number));
        Assert.All(detail.Trials, t => Assert.Contains(t.Status, new[] { "completed", "pruned" }));
        Assert.Equal(3, detail.Run.Options.GetProperty("trials").GetInt32());
        Assert.Equal(7, detail.Run.Options.GetProperty("seed").GetInt32());
        var data = detail.Run.Data!.Value;
        Assert.Equal((10_500, "file"), (data.GetProperty("rows").GetInt32(), data.GetProperty("source").GetString()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(first.Snapshot))), data.GetProperty("sha256").GetString());
        Assert.True(detail.Run.Gate!.Value.GetProperty("passed").GetBoolean());
        Assert.Equal(3, detail.Run.Search!.Value.GetProperty("trials").GetInt32());
    }

    [Fact]
    public async Task Watching_a_run_whose_worker_is_done_returns_at_once_with_its_steps()
    {
        var watch = await Leadscore.RunAsync("retrain", "watch", "1", "--data-dir", first.Data);
        var json = await Leadscore.RunAsync("retrain", "watch", "1", "--json", "--data-dir", first.Data);

        Assert.True(watch.Exit == 0, watch.Err);
        Assert.Equal(first.Run.Out, watch.Out);
        Assert.Matches(@"^retrain: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ queued: from leads\.parquet\n", watch.Err);
        Assert.Contains("Z staged: registered lead-scoring v1 as Staging", watch.Err, StringComparison.Ordinal);
        Assert.Equal(3, watch.Err.Split('\n').Count(l => l.StartsWith("retrain: run 1 trial ", StringComparison.Ordinal)));
        Assert.Equal("staged", JsonSerializer.Deserialize<RetrainingRunDetailDocument>(json.Out, RetrainingJson.Options)!.Run.Status);
    }

    [Fact]
    public async Task Approving_a_run_not_awaiting_approval_and_unknown_runs_are_refused_with_exit_2()
    {
        var approve = await Leadscore.RunAsync("retrain", "approve", "1", "--data-dir", first.Data);
        Assert.Equal((2, "error: run 1 is staged, not awaiting_approval: there is nothing to approve\n"), (approve.Exit, approve.Err));

        foreach (var command in new[] { "show", "watch", "approve", "cancel" })
        {
            var unknown = await Leadscore.RunAsync("retrain", command, "99", "--data-dir", first.Data);
            Assert.True(unknown.Exit == 2, $"{command}: exit {unknown.Exit}, {unknown.Err}");
            Assert.Equal("error: no retraining run 99\n", unknown.Err);
        }

        var show = await Leadscore.RunAsync("retrain", "show", "1", "--json", "--data-dir", first.Data);
        Assert.Equal("staged", JsonSerializer.Deserialize<RetrainingRunDetailDocument>(show.Out, RetrainingJson.Options)!.Run.Status);
    }

    [Fact]
    public async Task A_queued_run_is_left_for_the_service_and_cancelled_once()
    {
        var queued = await Leadscore.RunAsync("retrain", "--data", first.Leads, "--schema", RetrainedFirstModel.Schema, "--queue", "--reason", "first model", "--data-dir", Data);
        var show = await Leadscore.RunAsync("retrain", "show", "1", "--json", "--data-dir", Data);
        var cancel = await Leadscore.RunAsync("retrain", "cancel", "1", "--reason", "wrong file", "--data-dir", Data);
        var again = await Leadscore.RunAsync("retrain", "cancel", "1", "--data-dir", Data);
        var watch = await Leadscore.RunAsync("retrain", "watch", "1", "--data-dir", Data);
        var next = await Leadscore.RunAsync("retrain", "--data", first.Leads, "--schema", RetrainedFirstModel.Schema, "--queue", "--data-dir", Data);

        Assert.True(queued.Exit == 0, queued.Err);
        Assert.StartsWith("run 1  lead-scoring  manual  queued\n", queued.Out, StringComparison.Ordinal);
        Assert.Equal("retrain: run 1 of lead-scoring queued\nretrain: the service's worker takes it; follow it with `leadscore retrain watch 1`\n", queued.Err);

        // Queued, not worked: no start, no data read, no trial, no snapshot.
        var detail = JsonSerializer.Deserialize<RetrainingRunDetailDocument>(show.Out, RetrainingJson.Options)!;
        Assert.Equal(("queued", (DateTimeOffset?)null, "first model"), (detail.Run.Status, detail.Run.StartedAt, detail.Run.Reason));
        Assert.Null(detail.Run.Data);
        Assert.Empty(detail.Trials);
        Assert.Equal(["queued"], detail.Events.Select(e => e.Step));
        Assert.Equal(Path.GetFullPath(first.Leads), detail.Run.Options.GetProperty("data_file").GetString());
        Assert.False(Directory.Exists(Path.Combine(Data, "retraining")));

        Assert.Equal((0, "run 1: cancelled: wrong file\n"), (cancel.Exit, cancel.Out));
        Assert.Equal((2, "error: run 1 already ended (cancelled): there is nothing to cancel\n"), (again.Exit, again.Err));

        // Watching a run that stopped returns at once, with the stop's exit code.
        Assert.Equal(2, watch.Exit);
        Assert.StartsWith("run 1  lead-scoring  manual  cancelled\n", watch.Out, StringComparison.Ordinal);
        Assert.Contains(" cancelled: wrong file\n", watch.Err, StringComparison.Ordinal);

        // The model is free again.
        Assert.True(next.Exit == 0, next.Err);
        Assert.StartsWith("run 2  lead-scoring  manual  queued\n", next.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_interrupted_at_the_terminal_ends_cancelled_and_frees_the_model()
    {
        // Ctrl+C as the first search trial is reported: the run must not stay unfinished, blocking the model.
        using var interrupt = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new InterruptOn("trial 1 rung 0", interrupt);
        var args = new[] { "retrain", "--data", first.Leads, "--schema", RetrainedFirstModel.Schema, "--trials", "3", "--data-dir", Data };
        try
        {
            await LeadScoreCli.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            // How the parser reports the interruption is its own business; the run's record is what matters.
        }

        var show = await Leadscore.RunAsync("retrain", "show", "1", "--json", "--data-dir", Data);
        var next = await Leadscore.RunAsync("retrain", "--data", first.Leads, "--schema", RetrainedFirstModel.Schema, "--queue", "--data-dir", Data);

        Assert.True(interrupt.IsCancellationRequested, error.ToString());
        Assert.Contains("retrain: run 1 cancelled (interrupted)", error.ToString(), StringComparison.Ordinal);
        var detail = JsonSerializer.Deserialize<RetrainingRunDetailDocument>(show.Out, RetrainingJson.Options)!;
        Assert.Equal(("cancelled", "interrupted at the terminal"), (detail.Run.Status, detail.Run.StatusDetail));
        Assert.Equal(["queued", "preparing_data", "searching", "cancelled"], detail.Events.Select(e => e.Step));
        Assert.True(next.Exit == 0, next.Err);
        Assert.StartsWith("run 2 ", next.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_exit_1_naming_the_option_and_create_nothing()
    {
        var broken = _dir["broken.json"];
        await File.WriteAllTextAsync(broken, "{\"columns\": ");
        var cases = new (string[] Args, string Says)[]
        {
            (["retrain", "--schema", RetrainedFirstModel.Schema], "--schema goes with --data"),
            (["retrain", "--queue"], "--queue goes with --data"),
            (["retrain", "--data", _dir["missing.parquet"], "--schema", RetrainedFirstModel.Schema], $"--data '{_dir["missing.parquet"]}' does not exist"),
            (["retrain", "--data", first.Leads, "--schema", _dir["missing.json"]], "schema file not found"),
            (["retrain", "--data", first.Leads, "--schema", broken], "broken.json: "),
            (["retrain", "--trials", "0"], "--trials"),
            (["retrain", "--seed", "x"], "--seed"),
            (["retrain", "show", "abc"], "<id>"),
            (["retrain", "list", "--status", "done"], "--status must be one of queued, preparing_data, "),
        };

        foreach (var (args, says) in cases)
        {
            var run = await Leadscore.RunAsync([.. args, "--data-dir", Data]);
            Assert.True(run.Exit == 1, $"{string.Join(' ', args)}: exit {run.Exit}, {run.Err}");
            Assert.True(run.Err.Contains(says, StringComparison.Ordinal), $"{string.Join(' ', args)}: '{run.Err}' does not say '{says}'");
        }

        Assert.False(Directory.Exists(Data));
    }

    [Fact]
    public async Task Reading_or_changing_runs_on_a_mistyped_data_dir_is_refused_without_creating_a_store()
    {
        var nowhere = _dir["nowhere"];
        foreach (var args in new[] { ["list"], ["show", "1"], ["watch", "1"], ["approve", "1"], new[] { "cancel", "1" } })
        {
            var run = await Leadscore.RunAsync(["retrain", .. args, "--data-dir", nowhere]);
            Assert.True(run.Exit == 1, $"{args[0]}: exit {run.Exit}, {run.Err}");
            Assert.StartsWith("error: no registry at ", run.Err, StringComparison.Ordinal);
            Assert.Contains("check --data-dir", run.Err, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(nowhere));
    }
}

/// <summary>
/// A first model retrained once from a simulated file (10,500 leads: just above the default minimum of 10,000
/// labelled leads; 3 trials) into a data directory, by `leadscore retrain` itself, with what it printed.
/// </summary>
public sealed class RetrainedFirstModel : IDisposable
{
    private readonly Scratch _dir = new();

    public RetrainedFirstModel()
    {
        Invoke("simulate", "--rows", "10500", "--seed", "5", "--out", Leads);
        Run = Invoke("retrain", "--data", Leads, "--schema", Schema, "--trials", "3", "--seed", "7", "--data-dir", Data);
    }

    /// <summary>The simulated-leads schema.</summary>
    public static string Schema => RepositoryPaths.File("schemas/simulated-leads.json");

    /// <summary>The training file.</summary>
    public string Leads => _dir["leads.parquet"];

    /// <summary>The data directory holding run 1 (staged, v1).</summary>
    public string Data => _dir["data"];

    /// <summary>Run 1's training snapshot (run-1-&lt;time&gt;.parquet: a restarted run writes one of its own).</summary>
    public string Snapshot => Assert.Single(Directory.GetFiles(Path.Combine(Data, "retraining"), "run-1-*.parquet"));

    /// <summary>What `leadscore retrain --data` returned and printed.</summary>
    public (int Exit, string Out, string Err) Run { get; }

    public void Dispose() => _dir.Dispose();

    private static (int Exit, string Out, string Err) Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = LeadScoreCli.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}

/// <summary>Captures what a command prints on stderr (from any thread) and cancels once a line containing <paramref name="text"/> is written.</summary>
internal sealed class InterruptOn(string text, CancellationTokenSource interrupt) : StringWriter
{
    private readonly Lock _lock = new();

    public override void Write(char value)
    {
        lock (_lock)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            base.Write(value);
            if (value is not null && value.Contains(text, StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        }
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override Task WriteLineAsync(string? value)
    {
        Write(value + NewLine);
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return base.ToString();
        }
    }
}
