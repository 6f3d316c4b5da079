using System.Net;
using System.Text.Json;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Retraining;
using LeadScoring.Server.Tests.Monitoring.EndToEnd;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Retraining.EndToEnd;

/// <summary>
/// Issue 11's must-show through the real service on a fake clock: the simulator's concept-drift traffic scored over
/// HTTP day by day with the CRM's outcomes posted as they happen, the daily monitoring check fired by the real
/// scheduler, the realised-AUC retraining request raised by the real alerting, the drift trigger fired by the
/// retraining supervisor, the run worked by the service's own worker, and its candidate taken through shadow, canary
/// (stepped by the deployment supervisor) and approval to Production.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RetrainingScenarioTests(TestPackages packages, Xunit.Abstractions.ITestOutputHelper output)
{
    // A Tuesday. The weekly monitoring check and the hourly one are off: the daily check is the one that judges drift.
    private static readonly DateTimeOffset Start = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
    private const int Days = 28;
    private const int LeadsPerDay = 1_000;
    private const int Trials = 6;

    private static readonly string[] Working = ["queued", "preparing_data", "searching", "training", "gating"];

    private static readonly string[] Path =
        ["queued", "preparing_data", "searching", "training", "gating", "staged", "shadow", "canary", "awaiting_approval", "promoted"];

    private static Dictionary<string, string?> Settings => new()
    {
        ["LeadScoring:Monitoring:Schedules:Enabled"] = "true",
        ["LeadScoring:Monitoring:Schedules:Hourly"] = "",
        ["LeadScoring:Monitoring:Schedules:Weekly"] = "",
        ["LeadScoring:Retraining:Triggers:Drift"] = "true",
        ["LeadScoring:Retraining:Data:MinLabelled"] = "2000",
        ["LeadScoring:Retraining:Search:Trials"] = Trials.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LeadScoring:Retraining:Search:Folds"] = "3",
    };

    [Fact]
    public async Task Concept_drift_fires_the_drift_trigger_and_the_retrained_candidate_wins_the_gate_and_goes_through_shadow_canary_and_approval_to_Production()
    {
        await using var service = await RetrainingService.StartAsync(packages, Settings, Start);
        var clock = service.Clock;
        var traffic = new SimulatedTraffic(Scenario.ConceptDrift, LeadsPerDay * Days, 111, Start, Days, "drift");
        var supervisor = service.Service.Services.GetRequiredService<RetrainingSupervisor>();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        long? id = null;
        var status = "none";
        for (var day = 0; day < Days && status != "awaiting_approval"; day++)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                await traffic.ScoreHourAsync(service.Service, clock, Start.AddDays(day).AddHours(hour));
            }

            await traffic.SendOutcomesAsync(service.Service, clock);
            var scoredBy = elapsed.Elapsed.TotalSeconds;
            await DailyCheckAsync(service, Start.AddDays(day + 1).AddMinutes(15));
            await SupervisorCheckAsync(service, supervisor);
            id ??= await FirstRunAsync(service);
            output.WriteLine($"day {day + 1}: scored and outcomes by {scoredBy:0.0} s, checked by {elapsed.Elapsed.TotalSeconds:0.0} s");
            if (id is { } started)
            {
                // The worker runs in real time: the clock waits for it, as a day would pass while it worked.
                var run = (await service.WaitForAsync(started, r => !Working.Contains(RetrainingService.Status(r)), 240)).GetProperty("run");
                status = RetrainingService.Status(run);
                output.WriteLine($"day {day + 1} ({elapsed.Elapsed.TotalSeconds:0} s): run {started} {status}: {run.GetProperty("status_detail").GetString()}");
                Assert.True(!RetrainingService.IsFinished(run), $"run {started} ended as {status}: {run.GetProperty("status_detail").GetString()}");
            }
        }

        Assert.True(id is not null, "no trigger fired in the scenario's days");
        Assert.Equal("awaiting_approval", status);
        var runId = id!.Value;

        // Approval over HTTP: the candidate becomes Production and the service serves it.
        var (approved, approvedBody) = await service.SendAsync(HttpMethod.Post, $"/retraining/runs/{runId}/approve", """{"reason": "canary held at 100 %"}""");
        Assert.True(approved == HttpStatusCode.OK, $"approve: {(int)approved} {approvedBody}");
        Assert.Equal("promoted", RetrainingService.Status(approvedBody));
        var detail = await service.RunAsync(runId);
        var done = detail.GetProperty("run");
        var candidate = done.GetProperty("candidate_version").GetInt32();
        Assert.Equal(2, candidate);
        await service.Service.WaitUntilServingAsync(candidate);
        output.WriteLine(done.ToString());

        // The trigger: drift, from the alert the reconciled daily check raised (concept drift moves P(y|x), not PSI).
        Assert.Equal("drift", done.GetProperty("trigger").GetString());
        var trigger = done.GetProperty("trigger_detail").GetString()!;
        Assert.Contains("retraining_request", trigger, StringComparison.Ordinal);
        Assert.Contains("realised ROC AUC", trigger, StringComparison.Ordinal);

        // The drift evidence stayed (the alert fires on) while the run worked: still one run, no second.
        Assert.Single((await service.GetAsync("/retraining/runs")).GetProperty("runs").EnumerateArray());

        // Every step on the run, in order, and the search's trials.
        var steps = RetrainingService.Steps(detail);
        Assert.Equal(Path, steps.Where(Path.Contains));
        var events = detail.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("trigger", events[0].GetProperty("actor").GetString());
        Assert.Equal("api:alice", events.Last(e => e.GetProperty("step").GetString() == "promoted").GetProperty("actor").GetString());
        Assert.Equal(Trials, detail.GetProperty("trials").GetArrayLength());
        Assert.True(done.GetProperty("data").GetProperty("rows").GetInt64() >= 2000, done.GetProperty("data").ToString());
        Assert.Equal("logs", done.GetProperty("data").GetProperty("source").GetString());
        Assert.Matches("^[0-9a-f]{64}$", done.GetProperty("data").GetProperty("sha256").GetString()!);

        // The gate: the challenger beat the champion's ROC AUC on the latest fold.
        var gate = done.GetProperty("gate");
        Assert.True(gate.GetProperty("passed").GetBoolean(), gate.ToString());
        Assert.Equal(1, gate.GetProperty("champion_version").GetInt32());
        var figures = gate.GetProperty("result");
        var championAuc = figures.GetProperty("champion_auc").GetDouble();
        var challengerAuc = figures.GetProperty("challenger_auc").GetDouble();
        output.WriteLine($"gate: champion AUC {championAuc:0.####}, challenger AUC {challengerAuc:0.####} on {figures.GetProperty("rows").GetInt32()} leads");
        Assert.True(challengerAuc > championAuc * 1.02, $"challenger {challengerAuc} vs champion {championAuc}");
        Assert.True(figures.GetProperty("auc_met").GetBoolean());

        // The registry's audit log: the candidate registered, staged, then Production (v1 archived).
        var audit = await service.GetAsync($"/registry/audit?model={RunningService.ModelName}&limit=1000");
        var mine = audit.EnumerateArray().Where(e => e.GetProperty("version").ValueKind == JsonValueKind.Number && e.GetProperty("version").GetInt32() == candidate)
            .OrderBy(e => e.GetProperty("id").GetInt64())
            .Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("to").GetString()}")
            .ToList();
        output.WriteLine("audit of v2: " + string.Join(", ", mine));
        Assert.Equal(["register:None", "stage:Staging", "stage:Production"], mine.Where(e => e.StartsWith("register:", StringComparison.Ordinal) || e.StartsWith("stage:", StringComparison.Ordinal)));
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("version").ValueKind == JsonValueKind.Number && e.GetProperty("version").GetInt32() == 1 && e.GetProperty("to").GetString() == "Archived");

        // The deployments: a shadow ended to start the canary, and the canary stepped to 100 % and approved.
        var deployments = (await service.GetAsync($"/deployments?model={RunningService.ModelName}")).EnumerateArray().OrderBy(d => d.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(["shadow", "canary"], deployments.Select(d => d.GetProperty("mode").GetString()));
        Assert.All(deployments, d => Assert.Equal(candidate, d.GetProperty("challenger_version").GetInt32()));
        var shadow = await service.GetAsync($"/deployments/{deployments[0].GetProperty("id").GetInt64()}");
        var canary = await service.GetAsync($"/deployments/{deployments[1].GetProperty("id").GetInt64()}");
        Assert.Equal("aborted", shadow.GetProperty("deployment").GetProperty("state").GetString());
        Assert.Equal(["started", "aborted"], Actions(shadow));
        Assert.Equal("completed", canary.GetProperty("deployment").GetProperty("state").GetString());
        Assert.Equal(["started", "step_advanced", "step_advanced", "approved", "completed"], Actions(canary));
        Assert.Equal("api:alice", canary.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "approved").GetProperty("actor").GetString());
        Assert.Equal(1.0, canary.GetProperty("deployment").GetProperty("share").GetDouble());
        Assert.Equal(done.GetProperty("deployment_id").GetInt64(), canary.GetProperty("deployment").GetProperty("id").GetInt64());
        var shadowDays = (DateTimeOffset.Parse(canary.GetProperty("deployment").GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(shadow.GetProperty("deployment").GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).TotalDays;
        Assert.True(shadowDays >= 7, $"shadow lasted {shadowDays:0.##} days");
    }

    private static string[] Actions(JsonElement deployment) =>
        [.. deployment.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];

    private static async Task<long?> FirstRunAsync(RetrainingService service)
    {
        var page = await service.GetAsync("/retraining/runs");
        return page.GetProperty("runs").EnumerateArray().Select(r => (long?)r.GetProperty("id").GetInt64()).LastOrDefault();
    }

    // Moves the clock past the daily check's due time and waits until the scheduler stored the run for the day that ended.
    private static async Task DailyCheckAsync(RetrainingService service, DateTimeOffset due)
    {
        service.Clock.SetUtcNow(due.AddSeconds(1));
        var store = service.Service.Services.GetRequiredService<MonitoringStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await store.ListRunsAsync(new MonitoringRunFilter(RunningService.ModelName, Kind: MonitoringRunKinds.Daily, From: due, To: due.AddSeconds(1)))).Rows.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the daily check due {due:O} did not run within 30 s");
            await Task.Delay(50);
        }

        // The check stores each run (and the reconciliations of matured windows) before the alerts are judged.
        await Task.Delay(200);
    }

    // One more interval of the retraining supervisor (triggers and promotion steps) on the fake clock.
    private static async Task SupervisorCheckAsync(RetrainingService service, RetrainingSupervisor supervisor)
    {
        var before = supervisor.Checks;
        service.Clock.Advance(TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (supervisor.Checks <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retraining supervisor did not check within 30 s");
            await Task.Delay(20);
        }
    }
}
