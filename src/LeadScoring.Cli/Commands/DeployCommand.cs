using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using LeadScoring.Application.Deployments;
using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>
/// `leadscore deploy single|shadow|ab|canary|status|approve|abort`: how traffic reaches a model's champion and one
/// challenger, through the same use cases as the admin API, on the store directly (as the other registry commands).
/// Every deploy command needs an existing store: a mistyped --data-dir is refused, never a new empty registry.
/// </summary>
internal static partial class DeployCommand
{
    public static Command Create() => new("deploy", "Put a challenger version in front of traffic (shadow, A/B, canary), follow its analysis, approve or abort it")
    {
        Single(),
        Start(DeploymentMode.Shadow, "Score every lead with the challenger too, off the request path; only the champion's score is served"),
        Start(DeploymentMode.AB, "Serve a fixed share of leads (sticky per lead) with the challenger"),
        Start(DeploymentMode.Canary, "Roll the challenger out step by step; each step advances when its guardrails held for its whole duration"),
        DeployStatusCommand.Create(),
        Approve(),
        Abort(),
    };

    /// <summary>Runs a deploy command's body: a refused deployment request (conflict, unknown id) is exit 2 with one line.</summary>
    internal static Task<int> Run(ParseResult result, Func<TextWriter, Task<int>> body) => CliErrors.Run(result, async (stdout, stderr) =>
    {
        try
        {
            return await body(stdout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeploymentConflictException or DeploymentNotFoundException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        catch (ArgumentException e) when (e.ParamName is { } field && OptionOf(field) is { } option)
        {
            // The use cases name the field of the request; the user typed an option.
            var message = e.Message.Replace($" (Parameter '{field}')", string.Empty, StringComparison.Ordinal);
            var rest = message.StartsWith(field, StringComparison.Ordinal) ? message[field.Length..].TrimStart() : message;
            message = rest.StartsWith("must", StringComparison.Ordinal) || rest.StartsWith("is ", StringComparison.Ordinal) ? $"{option} {rest}" : $"{option}: {rest}";
            await stderr.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
    });

    /// <summary>"10 %", "2.5 %".</summary>
    internal static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.##} %");

    /// <summary>"1d", "12h", "30m", "45s" (what --steps takes).</summary>
    internal static string Duration(TimeSpan duration) => duration switch
    {
        _ when duration.Ticks % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / TimeSpan.TicksPerDay}d"),
        _ when duration.Ticks % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / TimeSpan.TicksPerHour}h"),
        _ when duration.Ticks % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / TimeSpan.TicksPerMinute}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s"),
    };

    /// <summary>"10 % for 1d, then 50 % for 2d, then 100 %".</summary>
    internal static string Steps(IReadOnlyList<CanaryStepSpec> steps) =>
        string.Join(", then ", steps.Select(s => s.Duration is { } d ? $"{Percent(s.Share)} for {Duration(d)}" : Percent(s.Share)));

    private static string? OptionOf(string field) => field switch
    {
        _ when StepField().Match(field) is { Success: true } step =>
            string.Create(CultureInfo.InvariantCulture, $"--steps: step {int.Parse(step.Groups[1].Value, CultureInfo.InvariantCulture) + 1}'s {(step.Groups[2].Value == "Duration" ? "duration" : "share")}"),
        nameof(NewDeployment.Steps) => "--steps",
        nameof(NewDeployment.ChallengerVersion) => "--challenger",
        nameof(NewDeployment.ModelName) => "--model",
        nameof(NewDeployment.Share) => "--share",
        "reason" => "--reason",
        _ => null,
    };

    [GeneratedRegex(@"^Steps\[(\d+)\]\.?(Share|Duration)?$")]
    private static partial Regex StepField();

    private static Option<string> Model() => new("--model") { Description = "Registered model name", Required = true };

    private static Option<string?> Reason() => new("--reason") { Description = "Why, for the audit log" };

    private static Option<long> Id()
    {
        var option = new Option<long>("--id") { Description = "Deployment id (see deploy status --model)", Required = true };
        option.CustomParser = r => ParseId(r) ?? 0;
        return option;
    }

    /// <summary>A deployment id (a positive whole number), checked while parsing like every numeric option (see <see cref="CliOptions"/>).</summary>
    internal static long? ParseId(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            result.AddError($"--id must be a deployment id (a positive whole number); got '{text}'");
            return null;
        }

        return id;
    }

    private static Command Start(DeploymentMode mode, string description)
    {
        var model = Model();
        var challenger = CliOptions.RequiredInt("--challenger", "The challenger's version (the champion is the model's Production version)", 1, int.MaxValue);
        var reason = Reason();
        var store = StoreOptions.Create();
        var command = new Command(DeploymentNames.Of(mode), description) { model, challenger, reason };
        var share = CliOptions.OptionalDouble("--share", $"Share of leads the challenger serves (default {Percent(DeploymentNames.DefaultAbShare)})", s => s > 0 && s <= 1, "more than 0 and at most 1");
        var steps = StepsOption();
        var autoPromote = new Option<bool>("--auto-promote") { Description = "Promote the challenger on its own once the last step held (otherwise `deploy approve` does)" };
        if (mode == DeploymentMode.AB)
        {
            command.Add(share);
        }

        if (mode == DeploymentMode.Canary)
        {
            command.Add(steps);
            command.Add(autoPromote);
        }

        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var request = new StartDeploymentRequest(
                result.GetValue(model)!,
                result.GetValue(challenger),
                mode,
                StoreOptions.Actor,
                Share: mode == DeploymentMode.AB ? result.GetValue(share) : null,
                Steps: mode == DeploymentMode.Canary ? result.GetValue(steps) : null,
                AutoPromote: mode == DeploymentMode.Canary && result.GetValue(autoPromote),
                Reason: result.GetValue(reason));
            var started = await services.GetRequiredService<DeploymentUseCases>().StartAsync(request, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"started {DeploymentNames.Of(started.Mode)} deployment {started.Id} of {started.ModelName}: {Describe(started)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Single()
    {
        var model = Model();
        var reason = Reason();
        var store = StoreOptions.Create();
        var command = new Command("single", "Serve with the champion alone: aborts the model's active deployment, if any") { model, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var useCases = services.GetRequiredService<DeploymentUseCases>();
            var name = result.GetValue(model)!;
            var active = await useCases.GetActiveStatusAsync(name, cancellationToken).ConfigureAwait(false);
            if (active is null)
            {
                await stdout.WriteLineAsync($"{name} has no active deployment: its champion serves alone; nothing changed").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var aborted = await useCases.AbortAsync(active.Deployment.Id, StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"aborted {DeploymentNames.Of(aborted.Mode)} deployment {aborted.Id} of {aborted.ModelName}: v{aborted.ChampionVersion} serves every lead").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Approve()
    {
        var id = Id();
        var reason = Reason();
        var store = StoreOptions.Create();
        var command = new Command("approve", "Promote the challenger of an active deployment to Production (champion alias included) and complete the deployment, in one transaction") { id, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var approved = await services.GetRequiredService<DeploymentUseCases>().ApproveAsync(result.GetValue(id), StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"approved deployment {approved.Id}: {approved.ModelName} v{approved.ChallengerVersion} is now Production and the champion (v{approved.ChampionVersion} archived; `leadscore rollback {approved.ModelName}` puts it back)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Abort()
    {
        var id = Id();
        var reason = Reason();
        var store = StoreOptions.Create();
        var command = new Command("abort", "Stop an active deployment: the champion serves every lead again") { id, reason };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => Run(result, async stdout =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var aborted = await services.GetRequiredService<DeploymentUseCases>().AbortAsync(result.GetValue(id), StoreOptions.Actor, result.GetValue(reason), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"aborted {DeploymentNames.Of(aborted.Mode)} deployment {aborted.Id} of {aborted.ModelName}: v{aborted.ChampionVersion} serves every lead").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>What the deployment does, in one sentence.</summary>
    internal static string Describe(Deployment d) => d.Mode switch
    {
        DeploymentMode.Shadow => $"v{d.ChallengerVersion} scores every lead beside the champion v{d.ChampionVersion}, off the request path; only v{d.ChampionVersion}'s score is served",
        DeploymentMode.AB => $"v{d.ChallengerVersion} serves {Percent(d.Share)} of leads, the champion v{d.ChampionVersion} the rest",
        DeploymentMode.Canary => $"v{d.ChallengerVersion} serves {Steps(d.Steps)} of leads (now step {d.Step + 1} of {d.Steps.Count}: {Percent(d.Share)}), the champion v{d.ChampionVersion} the rest; "
            + (d.AutoPromote ? "promoted on its own after the last step" : "the last step waits for `deploy approve`"),
        _ => $"the champion v{d.ChampionVersion} serves every lead",
    };

    // "0.1:1d,0.5:2d,1": share:duration per step, the last without a duration; units s, m, h, d.
    private static Option<IReadOnlyList<CanaryStepSpec>?> StepsOption()
    {
        var option = new Option<IReadOnlyList<CanaryStepSpec>?>("--steps")
        {
            Description = "Canary steps as SHARE:DURATION,…,1 with durations in s, m, h or d (default 0.1:1d,0.5:2d,1)",
        };
        option.CustomParser = ParseSteps;
        return option;
    }

    private static List<CanaryStepSpec>? ParseSteps(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        var steps = new List<CanaryStepSpec>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            TimeSpan? duration = null;
            if (pieces.Length > 2
                || !double.TryParse(pieces[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || !double.IsFinite(share)
                || (pieces.Length == 2 && (duration = ParseDuration(pieces[1])) is null))
            {
                result.AddError($"--steps must be SHARE:DURATION pairs ending with the last share, e.g. 0.1:1d,0.5:2d,1 (durations in s, m, h or d); '{part}' in '{text}' is not");
                return null;
            }

            steps.Add(new CanaryStepSpec(share, duration));
        }

        return steps;
    }

    private static TimeSpan? ParseDuration(string text)
    {
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount <= 0 || amount > 3650)
        {
            return null;
        }

        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
    }
}
