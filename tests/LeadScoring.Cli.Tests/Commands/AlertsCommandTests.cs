using System.Globalization;
using System.Text.Json;
using LeadScoring.Cli.Tests.Support;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage;
using LeadScoring.Storage.Alerting;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>`leadscore alerts …` from the command line: what each command prints, its exit code, and its refusals.</summary>
public sealed class AlertsCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private readonly Scratch _dir = new();

    private string Data => _dir["data"];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Alerts_are_listed_filtered_and_shown_with_what_each_channel_was_told()
    {
        var (critical, resolved) = await RaiseAlertsAsync();

        var list = await Leadscore.RunAsync("alerts", "list", "--data-dir", Data);
        var firing = await Leadscore.RunAsync("alerts", "list", "--state", "firing", "--level", "critical", "--json", "--data-dir", Data);
        var limited = await Leadscore.RunAsync("alerts", "list", "--limit", "1", "--data-dir", Data);
        var none = await Leadscore.RunAsync("alerts", "list", "--rule", "nope", "--data-dir", Data);
        var show = await Leadscore.RunAsync("alerts", "show", critical.ToString(CultureInfo.InvariantCulture), "--data-dir", Data);
        var json = await Leadscore.RunAsync("alerts", "show", critical.ToString(CultureInfo.InvariantCulture), "--json", "--data-dir", Data);

        Assert.True(list.Exit == 0, list.Err);
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\s+ID\s+STATE\s+LEVEL\s+RULE\s+SUBJECT\s+UPDATED \(UTC\)\s+SUMMARY$", lines[0]);
        Assert.Matches($@"^\s+{resolved}\s+resolved\s+warning\s+feature_drift\s+lead-scoring/country\s", lines[1]);
        Assert.Matches($@"^\s+{critical}\s+firing\s+critical\s+feature_drift\s+lead-scoring/lead_source\s+.*lead-scoring/lead_source drifted", lines[2]);

        Assert.True(firing.Exit == 0, firing.Err);
        using (var document = JsonDocument.Parse(firing.Out))
        {
            var alert = Assert.Single(document.RootElement.GetProperty("alerts").EnumerateArray());
            Assert.Equal(critical, alert.GetProperty("id").GetInt64());
            Assert.Equal(0.31, alert.GetProperty("figures").GetProperty("psi").GetDouble());
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("next_before").ValueKind);
        }

        Assert.Contains("(more alerts: raise --limit", limited.Out, StringComparison.Ordinal);
        Assert.Equal((0, "no alerts match\n"), (none.Exit, none.Out));

        Assert.True(show.Exit == 0, show.Err);
        Assert.StartsWith($"alert {critical}  critical  firing\n", show.Out, StringComparison.Ordinal);
        Assert.Contains("feature_drift on lead-scoring/lead_source (model lead-scoring)", show.Out, StringComparison.Ordinal);
        Assert.Contains("figures {\"psi\":0.31,\"threshold\":0.25}", show.Out, StringComparison.Ordinal);
        Assert.Matches(@"pagerduty\s+trigger\s+critical\s+failed\s+1\s+gave up: HTTP 503 from events.pagerduty.com", show.Out);
        Assert.Matches(@"slack\s+trigger\s+critical\s+sent\s+1\s+sent \d{4}-\d\d-\d\d \d\d:\d\d", show.Out);
        Assert.Matches(@"open\s+critical\s+yes\s+lead-scoring/lead_source drifted", show.Out);

        Assert.True(json.Exit == 0, json.Err);
        using (var document = JsonDocument.Parse(json.Out))
        {
            var deliveries = document.RootElement.GetProperty("deliveries").EnumerateArray().ToArray();
            Assert.Equal(["pagerduty", "slack"], deliveries.Select(d => d.GetProperty("channel").GetString()));
            Assert.Equal("HTTP 503 from events.pagerduty.com", deliveries[0].GetProperty("last_error").GetString());
            Assert.Equal(2, document.RootElement.GetProperty("attempts").GetArrayLength());
            Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("alert").GetProperty("figures").ValueKind);
        }
    }

    [Fact]
    public async Task An_alert_is_acknowledged_once_and_unknown_or_resolved_alerts_are_refused_with_exit_2()
    {
        var (critical, resolved) = await RaiseAlertsAsync();

        var ack = await Leadscore.RunAsync("alerts", "ack", critical.ToString(CultureInfo.InvariantCulture), "--by", "bob", "--note", "on it", "--data-dir", Data);
        var show = await Leadscore.RunAsync("alerts", "show", critical.ToString(CultureInfo.InvariantCulture), "--data-dir", Data);
        var again = await Leadscore.RunAsync("alerts", "ack", critical.ToString(CultureInfo.InvariantCulture), "--by", "bob", "--data-dir", Data);
        var onResolved = await Leadscore.RunAsync("alerts", "ack", resolved.ToString(CultureInfo.InvariantCulture), "--by", "bob", "--data-dir", Data);
        var unknown = await Leadscore.RunAsync("alerts", "ack", "999", "--by", "bob", "--data-dir", Data);
        var showUnknown = await Leadscore.RunAsync("alerts", "show", "999", "--data-dir", Data);
        var noBy = await Leadscore.RunAsync("alerts", "ack", critical.ToString(CultureInfo.InvariantCulture), "--data-dir", Data);

        Assert.True(ack.Exit == 0, ack.Err);
        Assert.StartsWith($"acknowledged alert {critical} (feature_drift on lead-scoring/lead_source) as bob at ", ack.Out, StringComparison.Ordinal);
        Assert.Contains("[acknowledged]", show.Out, StringComparison.Ordinal);
        Assert.Contains("acknowledged by bob at ", show.Out, StringComparison.Ordinal);
        Assert.Contains(": on it", show.Out, StringComparison.Ordinal);
        Assert.Equal(0, again.Exit);
        Assert.Equal(2, onResolved.Exit);
        Assert.StartsWith("error: ", onResolved.Err, StringComparison.Ordinal);
        Assert.Equal((2, "error: no alert has id 999\n"), (unknown.Exit, unknown.Err));
        Assert.Equal((2, "error: no alert has id 999\n"), (showUnknown.Exit, showUnknown.Err));
        Assert.Equal(1, noBy.Exit);
        Assert.Contains("--by", noBy.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silences_are_created_listed_and_ended()
    {
        await RaiseAlertsAsync();

        var silence = await Leadscore.RunAsync("alerts", "silence", "--rule", "feature_drift", "--subject", "lead-scoring/country", "--for", "2h", "--by", "bob", "--reason", "migration", "--data-dir", Data);
        var until = Now.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var second = await Leadscore.RunAsync("alerts", "silence", "--model", "lead-scoring", "--until", until, "--by", "carol", "--reason", "retraining", "--data-dir", Data);
        var listed = await Leadscore.RunAsync("alerts", "silences", "--data-dir", Data);
        var ended = await Leadscore.RunAsync("alerts", "unsilence", "1", "--data-dir", Data);
        var after = await Leadscore.RunAsync("alerts", "silences", "--json", "--data-dir", Data);
        var all = await Leadscore.RunAsync("alerts", "silences", "--all", "--data-dir", Data);
        var unknown = await Leadscore.RunAsync("alerts", "unsilence", "99", "--data-dir", Data);

        Assert.True(silence.Exit == 0, silence.Err);
        Assert.Matches(@"^silence 1: rule=feature_drift subject=lead-scoring/country model=any until \d{4}-\d\d-\d\d \d\d:\d\d\n$", silence.Out);
        Assert.True(second.Exit == 0, second.Err);
        Assert.StartsWith("silence 2: rule=any subject=any model=lead-scoring until ", second.Out, StringComparison.Ordinal);
        Assert.Matches(@"\s1\s+yes\s+.*bob\s+rule=feature_drift subject=lead-scoring/country model=any: migration", listed.Out);
        Assert.Matches(@"\s2\s+yes\s+.*carol\s+rule=any subject=any model=lead-scoring: retraining", listed.Out);
        Assert.True(ended.Exit == 0, ended.Err);
        Assert.StartsWith("silence 1 ended at ", ended.Out, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(after.Out))
        {
            Assert.Equal([2L], document.RootElement.GetProperty("silences").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
        }

        Assert.Matches(@"\s1\s+no\s+", all.Out);
        Assert.Equal((2, "error: no silence has id 99\n"), (unknown.Exit, unknown.Err));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_exit_1_naming_the_option()
    {
        await RaiseAlertsAsync();
        var past = Now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var cases = new (string[] Args, string Says)[]
        {
            (["alerts", "list", "--state", "open"], "--state must be one of firing, resolved; got 'open'"),
            (["alerts", "list", "--level", "severe"], "--level must be one of info, warning, critical; got 'severe'"),
            (["alerts", "list", "--from", "yesterday"], "--from must be an ISO 8601 date and time"),
            (["alerts", "list", "--from", "2026-12-02T00:00:00Z", "--to", "2026-12-01T00:00:00Z"], "--to must be after --from"),
            (["alerts", "list", "--limit", "0"], "--limit must be"),
            (["alerts", "list", "--rule", " "], "--rule must not be blank"),
            (["alerts", "show", "abc"], "<id> must be an alert id"),
            (["alerts", "unsilence", "0"], "<id> must be a silence id"),
            (["alerts", "ack", "1", "--by", " "], "--by must name who acknowledges"),
            (["alerts", "silence", "--for", "2h", "--by", "bob", "--reason", "r"], "give at least one of --rule, --subject and --model"),
            (["alerts", "silence", "--rule", "x", "--by", "bob", "--reason", "r"], "give either --for (e.g. 2h) or --until"),
            (["alerts", "silence", "--rule", "x", "--for", "2h", "--until", "2030-01-01T00:00:00Z", "--by", "bob", "--reason", "r"], "give either --for"),
            (["alerts", "silence", "--rule", "x", "--for", "2hours", "--by", "bob", "--reason", "r"], "--for must be a whole number and a unit"),
            (["alerts", "silence", "--rule", "x", "--until", past, "--by", "bob", "--reason", "r"], "--until must be in the future"),
            (["alerts", "silence", "--rule", "x", "--for", "2h", "--by", "bob"], "--reason"),
            (["alerts", "silence", "--rule", "x", "--for", "2h", "--by", "bob", "--reason", ""], "--reason must say why"),
        };

        foreach (var (args, says) in cases)
        {
            var run = await Leadscore.RunAsync([.. args, "--data-dir", Data]);
            Assert.True(run.Exit == 1, $"{string.Join(' ', args)}: exit {run.Exit}, {run.Err}");
            Assert.True(run.Err.Contains(says, StringComparison.Ordinal), $"{string.Join(' ', args)}: '{run.Err}' does not say '{says}'");
        }

        var missing = await Leadscore.RunAsync("alerts", "list", "--data-dir", _dir["nowhere"]);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("no registry at", missing.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["nowhere"]));
    }

    // A critical alert whose slack trigger was sent and whose pagerduty trigger failed for good; a warning that resolved.
    private async Task<(long Critical, long Resolved)> RaiseAlertsAsync()
    {
        await using var store = AlertStoreFactory.Create(new StorageOptions { DataDirectory = Data });
        var at = Now.AddMinutes(-30);
        var opened = await store.ApplyAsync(new AlertFindingBatch("monitoring_run:1", [Finding("lead-scoring/lead_source", AlertLevel.Critical, at), Finding("lead-scoring/country", AlertLevel.Warning, at)]));
        await store.ApplyAsync(new AlertFindingBatch("monitoring_run:2", [Finding("lead-scoring/country", AlertLevel.Warning, at.AddMinutes(10), breached: false)]));
        // The store stamps its deliveries with its own clock, a moment after Now: claim them as of that moment.
        var claimed = await store.ClaimDueDeliveriesAsync("test", TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(1));
        var critical = opened.Applied[0].AlertId!.Value;
        foreach (var delivery in claimed.Where(d => d.AlertId == critical))
        {
            var sent = delivery.Channel == "slack";
            await store.RecordAttemptAsync(delivery.Id, "test", new DeliveryOutcome(sent, Now, 50, sent ? null : "HTTP 503 from events.pagerduty.com", null));
        }

        return (critical, opened.Applied[1].AlertId!.Value);
    }

    private static AlertFinding Finding(string subject, AlertLevel level, DateTimeOffset at, bool breached = true) => new(
        "feature_drift",
        subject,
        "lead-scoring",
        breached,
        level,
        at,
        breached ? $"{subject} drifted (PSI 0.31)" : $"{subject} back to normal",
        """{"psi": 0.31, "threshold": 0.25}""",
        level == AlertLevel.Critical ? ["slack", "pagerduty"] : ["slack"],
        TimeSpan.FromHours(4));
}
