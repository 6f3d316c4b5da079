using System.Net;
using LeadScoring.Core.Alerting;
using LeadScoring.Server.Tests.Support;
using static LeadScoring.Server.Tests.Alerting.AlertService;

namespace LeadScoring.Server.Tests.Alerting;

/// <summary>Every refusal of /alerts: a bad parameter or field is a 400 naming it (never a 500), and every route needs the admin key.</summary>
public sealed partial class AlertEndpointTests
{
    [Fact]
    public async Task A_bad_query_is_a_400_naming_the_parameter_and_listing_the_allowed_values()
    {
        await using var service = await AlertService.StartAsync();
        var cases = new (string Path, string Field, string? Says)[]
        {
            ("/alerts?state=open", "state", "firing, resolved"),
            ("/alerts?level=severe", "level", "info, warning, critical"),
            ("/alerts?level=Critical", "level", "info, warning, critical"),
            ("/alerts?page_size=0", "page_size", "between 1 and 500"),
            ("/alerts?page_size=501", "page_size", null),
            ("/alerts?page_size=ten", "page_size", null),
            ("/alerts?before=0", "before", null),
            ("/alerts?before=x", "before", null),
            ("/alerts?from=yesterday", "from", null),
            ("/alerts?to=2026-12-02T10:00:00", "to", "UTC offset"),
            ("/alerts?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to", "after from"),
            ("/alerts?rule=%20", "rule", null),
            ("/alerts?model=", "model", null),
            ("/alerts/silences?all=yes", "all", "true or false"),
        };

        foreach (var (path, field, says) in cases)
        {
            var (status, problem) = await service.SendAsync(HttpMethod.Get, path);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path}: {(int)status} {problem}");
            var errors = Json.Errors(problem, field);
            Assert.True(errors.Length == 1, $"{path}: no error for {field} in {problem}");
            Assert.True(says is null || errors[0].Contains(says, StringComparison.Ordinal), $"{path}: '{errors[0]}' does not say '{says}'");
        }
    }

    [Fact]
    public async Task A_bad_body_is_a_400_naming_the_field_an_unknown_one_with_the_field_probably_meant()
    {
        await using var service = await AlertService.StartAsync();
        var id = (await service.ApplyAsync("monitoring_run:1", Finding("feature_drift", "lead-scoring/lead_source", AlertLevel.Critical, Start)))[0];
        var ack = $"/alerts/{id}/ack";
        const string Silences = "/alerts/silences";
        var cases = new (string Path, string Body, string Field, string? Says)[]
        {
            (ack, "{}", "by", "is required"),
            (ack, """{"by": ""}""", "by", "blank"),
            (ack, """{"by": 3}""", "by", "string"),
            (ack, """{"by": "bob", "notes": "x"}""", "notes", "did you mean 'note'?"),
            (ack, """{"by": "bob", "note": 7}""", "note", null),
            (ack, "[]", "body", "JSON object"),
            (ack, "{\"by\": ", "body", "not valid JSON"),
            (Silences, """{"duration": "2h", "by": "bob", "reason": "r"}""", "rule", "is required unless subject or model"),
            (Silences, """{"rule": "x", "by": "bob", "reason": "r"}""", "until", "is required unless duration"),
            (Silences, """{"rule": "x", "duration": "2 hours", "by": "bob", "reason": "r"}""", "duration", "30m, 2h or 1d"),
            (Silences, """{"rule": "x", "duration": "0h", "by": "bob", "reason": "r"}""", "duration", null),
            (Silences, """{"rule": "x", "duration": "91d", "by": "bob", "reason": "r"}""", "duration", null),
            (Silences, """{"rule": "x", "until": "tomorrow", "by": "bob", "reason": "r"}""", "until", "ISO 8601"),
            (Silences, """{"rule": "x", "until": "2026-12-02T09:00:00Z", "by": "bob", "reason": "r"}""", "until", "in the future"),
            (Silences, """{"rule": "x", "until": "2026-12-03T09:00:00Z", "duration": "2h", "by": "bob", "reason": "r"}""", "duration", "one of them"),
            (Silences, """{"rule": "x", "duration": "2h", "reason": "r"}""", "by", "is required"),
            (Silences, """{"rule": "x", "duration": "2h", "by": "bob"}""", "reason", "is required"),
            (Silences, """{"rule": "x", "duration": "2h", "by": "bob", "reason": "   "}""", "reason", "blank"),
            (Silences, """{"rul": "x", "duration": "2h", "by": "bob", "reason": "r"}""", "rul", "did you mean 'rule'?"),
            (Silences, """{"rule": "x", "for": "2h", "by": "bob", "reason": "r"}""", "for", "expected rule, subject, model, until, duration, by, reason"),
        };

        foreach (var (path, body, field, says) in cases)
        {
            var (status, problem) = await service.SendAsync(HttpMethod.Post, path, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path} {body}: {(int)status} {problem}");
            var errors = Json.Errors(problem, field);
            Assert.True(errors.Length == 1, $"{path} {body}: no error for {field} in {problem}");
            Assert.True(says is null || errors[0].Contains(says, StringComparison.Ordinal), $"{body}: '{errors[0]}' does not say '{says}'");
        }

        var detail = await service.GetAsync($"/alerts/{id}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, detail.GetProperty("alert").GetProperty("acknowledged_at").ValueKind);
        Assert.Equal(0, (await service.GetAsync("/alerts/silences?all=true")).GetProperty("silences").GetArrayLength());
    }

    [Fact]
    public async Task Every_alert_route_needs_the_admin_key()
    {
        await using var service = await AlertService.StartAsync();
        var routes = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "/alerts"),
            (HttpMethod.Get, "/alerts/1"),
            (HttpMethod.Post, "/alerts/1/ack"),
            (HttpMethod.Get, "/alerts/silences"),
            (HttpMethod.Post, "/alerts/silences"),
            (HttpMethod.Delete, "/alerts/silences/1"),
        };

        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent("""{"by": "bob"}""", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await service.Service.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
        }
    }
}
