using LeadScoring.Application.Alerting;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Registry;
using LeadScoring.Storage.Alerting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting;

/// <summary>
/// The alerts over HTTP (admin key required, like the monitoring routes: alerts name models and their figures): list
/// alerts, show one with its findings and its deliveries per channel, acknowledge one, and silence rules, subjects or
/// models for a while. A bad parameter or field is a 400 naming it; an unknown alert or silence 404; acknowledging a
/// resolved alert 409.
/// </summary>
public static class AlertEndpoints
{
    private static readonly string[] AckFields = ["by", "note"];
    private static readonly string[] SilenceFields = ["rule", "subject", "model", "until", "duration", "by", "reason"];

    public static RouteGroupBuilder MapAlerts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/alerts").WithTags("Alerts").AddEndpointFilter<AdminKeyFilter>();
        group.MapGet("", List)
            .WithSummary("List alerts, newest first, paged")
            .WithDescription("Filters: state (firing, resolved), level (info, warning, critical), rule, model, from/to (the alert's last update in [from, to)); page_size (1–500, default 50); before: the next_before of the previous page.");
        group.MapGet("/{id:long}", Get).WithSummary("Show an alert: its figures, latest findings, deliveries per channel and every delivery attempt");
        group.MapPost("/{id:long}/ack", Acknowledge)
            .Accepts<AcknowledgeAlertBody>("application/json")
            .WithSummary("Acknowledge a firing alert: no reminders until it resolves or escalates (idempotent; 409 when resolved)");
        group.MapGet("/silences", ListSilences).WithSummary("Silences in force now (all=true: every silence, ended ones included, newest first)");
        group.MapPost("/silences", AddSilence)
            .Accepts<CreateSilenceBody>("application/json")
            .WithSummary("Silence a rule, subject or model until a time or for a duration: breaches are recorded, nobody is told");
        group.MapDelete("/silences/{id:long}", ExpireSilence).WithSummary("End a silence now");
        return group;
    }

    internal static async Task<Ok<AlertPageDocument>> List(
        AlertStore store,
        [FromQuery(Name = "state")] string? state,
        [FromQuery(Name = "level")] string? level,
        [FromQuery(Name = "rule")] string? rule,
        [FromQuery(Name = "model")] string? model,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        [FromQuery(Name = "before")] string? before,
        [FromQuery(Name = "page_size")] string? pageSize,
        CancellationToken cancellationToken)
    {
        var filter = new AlertFilter(
            AlertQuery.State(state), AlertQuery.Level(level), AlertQuery.Name(rule, "rule"), AlertQuery.Name(model, "model"), AlertQuery.Time(from, "from"), AlertQuery.Time(to, "to"));
        AlertQuery.Ordered(filter.From, filter.To);
        var page = await store.ListAlertsAsync(filter, AlertQuery.Before(before), AlertQuery.PageSize(pageSize), cancellationToken);
        return TypedResults.Ok(AlertPageDocument.Of(page));
    }

    internal static async Task<Results<Ok<AlertDetailDocument>, ProblemHttpResult>> Get(long id, AlertStore store, CancellationToken cancellationToken) =>
        await store.GetAlertAsync(id, cancellationToken: cancellationToken) is { } detail
            ? TypedResults.Ok(AlertDetailDocument.Of(detail))
            : NoAlert(id);

    internal static async Task<Results<Ok<AlertDocument>, ProblemHttpResult>> Acknowledge(
        long id, HttpContext context, IOptions<AdminOptions> options, AlertStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var maxNote = options.Value.MaxReasonLength;
        var body = (await AdminRequests.ReadObjectAsync(context.Request, maxNote, optional: false, cancellationToken))!.Value;
        AlertQuery.OnlyFields(body, AckFields);
        var by = AlertQuery.RequiredText(body, "by", AlertQuery.MaxNameLength, "who acknowledges (a person or a team)");
        var note = AlertQuery.BodyText(body, "note", maxNote);
        try
        {
            return await Stored(() => store.AcknowledgeAsync(id, by, note, time.GetUtcNow(), cancellationToken)) is { } alert
                ? TypedResults.Ok(AlertDocument.Of(alert))
                : NoAlert(id);
        }
        catch (AlertStateException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
        }
    }

    internal static async Task<Ok<SilenceListDocument>> ListSilences(
        AlertStore store, TimeProvider time, [FromQuery(Name = "all")] string? all, CancellationToken cancellationToken)
    {
        var everyOne = AlertQuery.Flag(all, "all");
        var now = time.GetUtcNow();
        var silences = await store.ListSilencesAsync(now, everyOne, cancellationToken);
        return TypedResults.Ok(new SilenceListDocument([.. silences.Select(s => SilenceDocument.Of(s, now))]));
    }

    internal static async Task<Created<SilenceDocument>> AddSilence(
        HttpContext context, IOptions<AdminOptions> options, AlertStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var maxReason = options.Value.MaxReasonLength;
        var body = (await AdminRequests.ReadObjectAsync(context.Request, maxReason, optional: false, cancellationToken))!.Value;
        AlertQuery.OnlyFields(body, SilenceFields);
        var rule = AlertQuery.BodyText(body, "rule", AlertQuery.MaxNameLength);
        var subject = AlertQuery.BodyText(body, "subject", AlertQuery.MaxNameLength);
        var model = AlertQuery.BodyText(body, "model", AlertQuery.MaxNameLength);
        if (rule is null && subject is null && model is null)
        {
            // A silence of everything would hide every alert: name at least one thing to silence.
            throw new InvalidRequestException("rule", "is required unless subject or model is given: a silence names what it silences");
        }

        var until = AlertQuery.BodyTime(body, "until");
        var duration = AlertQuery.BodyDuration(body, "duration");
        var now = time.GetUtcNow();
        var ends = (until, duration) switch
        {
            (null, null) => throw new InvalidRequestException("until", "is required unless duration is given: when the silence ends, e.g. 2026-12-03T08:00:00Z (or a duration such as \"2h\")"),
            ({ }, { }) => throw new InvalidRequestException("duration", "cannot be given with until: give one of them"),
            ({ } at, null) when at <= now => throw new InvalidRequestException("until", $"must be in the future (now is {now:O})"),
            ({ } at, null) when at - now > SilenceDurations.Max => throw new InvalidRequestException("until", "must be at most 90 days from now"),
            ({ } at, null) => at,
            (null, { } span) => now + span,
        };
        var by = AlertQuery.RequiredText(body, "by", AlertQuery.MaxNameLength, "who silences (a person or a team)");
        var reason = AlertQuery.RequiredText(body, "reason", maxReason, "why (a silence nobody can explain is a hidden outage)");
        var silence = await Stored(() => store.AddSilenceAsync(new NewSilence(rule, subject, model, now, ends, by, reason), cancellationToken));
        return TypedResults.Created($"/alerts/silences/{silence.Id}", SilenceDocument.Of(silence, now));
    }

    internal static async Task<Results<Ok<SilenceDocument>, ProblemHttpResult>> ExpireSilence(long id, AlertStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await store.ExpireSilenceAsync(id, now, cancellationToken) is { } silence
            ? TypedResults.Ok(SilenceDocument.Of(silence, now))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no silence has id {id}");
    }

    private static ProblemHttpResult NoAlert(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no alert has id {id}");

    // Everything is checked above; should the store still refuse a value, the caller hears which field, not a 500.
    private static async Task<T> Stored<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            var field = FieldOf(e.ParamName);
            var message = e.Message.Split(" (Parameter", 2)[0];
            throw new InvalidRequestException(field, message);
        }
    }

    private static string FieldOf(string? paramName) => paramName switch
    {
        null or "" => "body",
        "CreatedBy" or "createdBy" or "by" => "by",
        "EndsAt" or "endsAt" => "until",
        _ => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(paramName),
    };
}
