using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using LeadScoring.Application.Alerting;
using LeadScoring.Core.Alerting;
using LeadScoring.Storage.Alerting;
using LeadScoring.Storage.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>
/// `leadscore alerts list|show|ack|silence|silences|unsilence`: the alerts the service raised, on the store directly
/// (as the deploy and monitoring commands), printed as the API answers them with --json. Every alerts command needs an
/// existing store: a mistyped --data-dir is refused, never a new empty one.
/// </summary>
internal static class AlertsCommand
{
    public static Command Create() => new("alerts", "List, show and acknowledge the alerts raised on models and the service; silence rules, subjects or models for a while")
    {
        List(),
        Show(),
        Acknowledge(),
        AlertsSilenceCommand.Silence(),
        AlertsSilenceCommand.Silences(),
        AlertsSilenceCommand.Unsilence(),
    };

    /// <summary>Runs an alerts command's body: an unknown alert or silence, or acknowledging a resolved alert, is exit 2 with one line.</summary>
    internal static Task<int> Run(ParseResult result, Func<TextWriter, Task<int>> body) => CliErrors.Run(result, async (stdout, stderr) =>
    {
        try
        {
            return await body(stdout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlertStateException or AlertNotFoundException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
    });

    /// <summary>A document as the API writes it.</summary>
    internal static string ToJson<T>(T document) => JsonSerializer.Serialize(document, AlertJson.Options) + Environment.NewLine;

    /// <summary>An optional time (ISO 8601 with a UTC offset), checked while parsing.</summary>
    internal static Option<DateTimeOffset?> TimeOption(string name, string description)
    {
        var option = new Option<DateTimeOffset?>(name) { Description = description };
        option.CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
            {
                return null;
            }

            if (OutcomeTimes.TryParse(r.Tokens[0].Value, out var at, out var problem))
            {
                return at;
            }

            r.AddError($"{name} {problem}");
            return null;
        };
        return option;
    }

    private static Command List()
    {
        var state = Choice<AlertState>("--state", "Only firing or resolved alerts", AlertNames.States, AlertNames.TryParseState);
        var level = Choice<AlertLevel>("--level", "Only alerts of this level (info, warning, critical)", AlertNames.Levels, AlertNames.TryParseLevel);
        var rule = CliOptions.NameOption("--rule", "Only this rule's alerts");
        var model = CliOptions.NameOption("--model", "Only this model's alerts");
        var from = TimeOption("--from", "Only alerts updated at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00Z)");
        var to = TimeOption("--to", "Only alerts updated before this time");
        var limit = CliOptions.Int("--limit", $"How many alerts to show, newest first (1 to {AlertStore.MaxPageSize})", 1, AlertStore.MaxPageSize, 50);
        var json = new Option<bool>("--json") { Description = "Print the page as JSON (the API's document: alerts and next_before)" };
        var store = StoreOptions.Create();
        var command = new Command("list", "List alerts, newest first: state, level, rule, subject, last update and summary") { state, level, rule, model, from, to, limit, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            // Checked here, not in a validator: a validator reading an option whose text did not parse throws (see CliOptions).
            if (result.GetValue(from) is { } f && result.GetValue(to) is { } t && t <= f)
            {
                throw new InvalidInputException("--to must be after --from");
            }

            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var filter = new AlertFilter(result.GetValue(state), result.GetValue(level), result.GetValue(rule), result.GetValue(model), result.GetValue(from), result.GetValue(to));
            var page = await services.GetRequiredService<AlertStore>().ListAlertsAsync(filter, null, result.GetValue(limit), cancellationToken).ConfigureAwait(false);
            var document = AlertPageDocument.Of(page);
            await stdout.WriteAsync(result.GetValue(json) ? ToJson(document) : AlertsText.List(document)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = CliOptions.IdArgument("alert");
        var json = new Option<bool>("--json") { Description = "Print the alert as JSON (the API's document: alert, findings, deliveries, attempts)" };
        var store = StoreOptions.Create();
        var command = new Command("show", "Show an alert: its figures, latest findings, and what each channel was told and how it went") { id, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var number = result.GetValue(id);
            var detail = await services.GetRequiredService<AlertStore>().GetAlertAsync(number, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new AlertNotFoundException($"no alert has id {number}");
            var document = AlertDetailDocument.Of(detail);
            await stdout.WriteAsync(result.GetValue(json) ? ToJson(document) : AlertsText.Detail(document)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Acknowledge()
    {
        var id = CliOptions.IdArgument("alert");
        var by = new Option<string>("--by") { Description = "Who acknowledges (a person or a team)", Required = true };
        by.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && string.IsNullOrWhiteSpace(r.Tokens[0].Value))
            {
                r.AddError("--by must name who acknowledges, not be blank");
            }
        });
        var note = new Option<string?>("--note") { Description = "What is being done about it" };
        var store = StoreOptions.Create();
        var command = new Command("ack", "Acknowledge a firing alert: no more reminders until it resolves or escalates") { id, by, note };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var number = result.GetValue(id);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var alert = await services.GetRequiredService<AlertStore>().AcknowledgeAsync(number, result.GetValue(by)!, result.GetValue(note), now, cancellationToken).ConfigureAwait(false)
                ?? throw new AlertNotFoundException($"no alert has id {number}");
            await stdout.WriteLineAsync($"acknowledged alert {alert.Id} ({alert.Rule} on {alert.Subject}) as {alert.AcknowledgedBy} at {AlertsText.Time(alert.AcknowledgedAt)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private delegate bool TryParse<T>(string? text, out T value);

    private static Option<T?> Choice<T>(string name, string description, IReadOnlyList<string> allowed, TryParse<T> parse)
        where T : struct
    {
        var option = new Option<T?>(name) { Description = $"{description} ({string.Join(", ", allowed)})" };
        option.CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? null : r.Tokens[0].Value;
            if (text is null)
            {
                return null;
            }

            if (parse(text, out var value))
            {
                return value;
            }

            r.AddError($"{name} must be one of {string.Join(", ", allowed)}; got '{text}'");
            return null;
        };
        return option;
    }
}

/// <summary>No alert or silence has the id the user gave (exit 2).</summary>
internal sealed class AlertNotFoundException(string message) : Exception(message);
