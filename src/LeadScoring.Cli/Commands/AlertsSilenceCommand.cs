using System.CommandLine;
using LeadScoring.Application.Alerting;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore alerts silence|silences|unsilence`: silences, which record matching breaches without telling anyone until they end.</summary>
internal static class AlertsSilenceCommand
{
    public static Command Silence()
    {
        var rule = CliOptions.NameOption("--rule", "Silence this rule's alerts");
        var subject = CliOptions.NameOption("--subject", "Silence alerts on this subject (e.g. lead-scoring/lead_source)");
        var model = CliOptions.NameOption("--model", "Silence this model's alerts");
        var duration = new Option<TimeSpan?>("--for") { Description = $"How long, from now: {SilenceDurations.Expected}" };
        duration.CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? null : r.Tokens[0].Value;
            if (text is null)
            {
                return null;
            }

            var parsed = SilenceDurations.Parse(text);
            if (parsed is null)
            {
                r.AddError($"--for must be {SilenceDurations.Expected}; got '{text}'");
            }

            return parsed;
        };
        var until = AlertsCommand.TimeOption("--until", "When the silence ends (ISO 8601, e.g. 2026-12-03T08:00:00Z), instead of --for");
        var by = new Option<string>("--by") { Description = "Who silences (a person or a team)", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (a silence nobody can explain is a hidden outage)", Required = true };
        var store = StoreOptions.Create();
        var command = new Command("silence", "Silence a rule, subject or model for a while: breaches are recorded, nobody is told") { rule, subject, model, duration, until, by, reason };
        store.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(rule) is null && r.GetValue(subject) is null && r.GetValue(model) is null)
            {
                r.AddError("give at least one of --rule, --subject and --model: a silence names what it silences");
            }

            if ((r.GetResult(duration) is null) == (r.GetResult(until) is null))
            {
                r.AddError("give either --for (e.g. 2h) or --until (a time)");
            }

            foreach (var (option, what) in new[] { (by, "who silences"), (reason, "why") })
            {
                if (r.GetResult(option) is { Tokens: [{ } token] } && string.IsNullOrWhiteSpace(token.Value))
                {
                    r.AddError($"{option.Name} must say {what}, not be blank");
                }
            }
        });
        command.SetAction((result, cancellationToken) => AlertsCommand.Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var ends = result.GetValue(until) ?? now + result.GetValue(duration)!.Value;
            if (ends <= now)
            {
                throw new InvalidInputException($"--until must be in the future (now is {AlertsText.Time(now)})");
            }

            if (ends - now > SilenceDurations.Max)
            {
                throw new InvalidInputException("--until must be at most 90 days from now");
            }

            var silence = await services.GetRequiredService<AlertStore>().AddSilenceAsync(
                new NewSilence(result.GetValue(rule), result.GetValue(subject), result.GetValue(model), now, ends, result.GetValue(by)!, result.GetValue(reason)!),
                cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"silence {silence.Id}: {AlertsText.Matchers(silence.Rule, silence.Subject, silence.Model)} until {AlertsText.Time(silence.EndsAt)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Silences()
    {
        var all = new Option<bool>("--all") { Description = "Every silence, ended ones included, newest first" };
        var json = new Option<bool>("--json") { Description = "Print the silences as JSON (the API's document)" };
        var store = StoreOptions.Create();
        var command = new Command("silences", "List the silences in force now (--all: every one)") { all, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => AlertsCommand.Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var silences = await services.GetRequiredService<AlertStore>().ListSilencesAsync(now, result.GetValue(all), cancellationToken).ConfigureAwait(false);
            var document = new SilenceListDocument([.. silences.Select(s => SilenceDocument.Of(s, now))]);
            await stdout.WriteAsync(result.GetValue(json) ? AlertsCommand.ToJson(document) : AlertsText.Silences(document)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Unsilence()
    {
        var id = CliOptions.IdArgument("silence");
        var store = StoreOptions.Create();
        var command = new Command("unsilence", "End a silence now") { id };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => AlertsCommand.Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var number = result.GetValue(id);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var silence = await services.GetRequiredService<AlertStore>().ExpireSilenceAsync(number, now, cancellationToken).ConfigureAwait(false)
                ?? throw new AlertNotFoundException($"no silence has id {number}");
            await stdout.WriteLineAsync($"silence {silence.Id} ended at {AlertsText.Time(silence.ExpiredAt ?? now)} ({AlertsText.Matchers(silence.Rule, silence.Subject, silence.Model)})").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
