using System.Globalization;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Storage.Deployments;

/// <summary>
/// The rules of a deployment to start. A broken one is an <see cref="ArgumentException"/> whose
/// <see cref="ArgumentException.ParamName"/> is the field ("Share", "Steps[1].Duration") and whose message starts
/// with it, checked before anything is written.
/// </summary>
public static class DeploymentValidation
{
    /// <summary>The fewest hex digits of a salt (16 bytes).</summary>
    public const int MinSaltHexDigits = 32;

    /// <summary>The most hex digits of a salt.</summary>
    public const int MaxSaltHexDigits = 128;

    /// <summary>Longest reason.</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>The canary steps a valid <paramref name="deployment"/> runs (the defaults when it names none); empty unless canary.</summary>
    public static IReadOnlyList<CanaryStepSpec> Validate(NewDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (!RegistryNames.IsValidModelName(deployment.ModelName))
        {
            throw Invalid(nameof(NewDeployment.ModelName), $"'{deployment.ModelName}' is not a model name: 1–{RegistryNames.MaxModelNameLength} letters, digits, '-', '_' or '.'");
        }

        if (deployment.ChampionVersion < 1)
        {
            throw Invalid(nameof(NewDeployment.ChampionVersion), Text($"{deployment.ChampionVersion} is not a version: versions are numbered from 1"));
        }

        if (!Enum.IsDefined(deployment.Mode))
        {
            throw Invalid(nameof(NewDeployment.Mode), Text($"{(int)deployment.Mode} is not a deployment mode"));
        }

        switch (deployment.ChallengerVersion)
        {
            case null when deployment.Mode != DeploymentMode.Single:
                throw Invalid(nameof(NewDeployment.ChallengerVersion), $"is required in {DeploymentNames.Of(deployment.Mode)} mode");
            case < 1:
                throw Invalid(nameof(NewDeployment.ChallengerVersion), Text($"{deployment.ChallengerVersion} is not a version: versions are numbered from 1"));
            case int challenger when challenger == deployment.ChampionVersion:
                throw Invalid(nameof(NewDeployment.ChallengerVersion), Text($"must differ from the champion (both are version {challenger})"));
        }

        if (deployment.Mode == DeploymentMode.AB && !(deployment.Share > 0 && deployment.Share <= 1))
        {
            throw Invalid(nameof(NewDeployment.Share), Text($"must be more than 0 and at most 1 in ab mode; got {deployment.Share}"));
        }

        ValidateSalt(deployment.Salt);
        return deployment.Mode == DeploymentMode.Canary ? ValidateSteps(deployment.Steps ?? DeploymentNames.DefaultCanarySteps) : [];
    }

    internal static void ValidateActor(string? actor, string field = "actor")
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > RegistryNames.MaxActorLength)
        {
            throw Invalid(field, $"is required (1–{RegistryNames.MaxActorLength} characters, not blank)");
        }
    }

    internal static void ValidateReason(string? reason, string field = "reason")
    {
        if (reason is not null && reason.Length > MaxReasonLength)
        {
            throw Invalid(field, Text($"is longer than {MaxReasonLength} characters"));
        }
    }

    private static IReadOnlyList<CanaryStepSpec> ValidateSteps(IReadOnlyList<CanaryStepSpec> steps)
    {
        if (steps.Count == 0)
        {
            throw Invalid(nameof(NewDeployment.Steps), "must name at least one step (the last at share 1.0)");
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i] ?? throw Invalid(Text($"Steps[{i}]"), "is null");
            var last = i == steps.Count - 1;
            if (!(step.Share > 0 && step.Share <= 1))
            {
                throw Invalid(Text($"Steps[{i}].Share"), Text($"must be more than 0 and at most 1; got {step.Share}"));
            }

            if (i > 0 && step.Share <= steps[i - 1].Share)
            {
                throw Invalid(Text($"Steps[{i}].Share"), Text($"must be more than the previous step's ({steps[i - 1].Share}); got {step.Share}"));
            }

            if (last && step.Share != 1.0)
            {
                throw Invalid(Text($"Steps[{i}].Share"), Text($"the last step must be 1.0; got {step.Share}"));
            }

            if (last && step.Duration is not null)
            {
                throw Invalid(Text($"Steps[{i}].Duration"), "must be null on the last step (it lasts until approval)");
            }

            if (!last && !(step.Duration > TimeSpan.Zero))
            {
                throw Invalid(Text($"Steps[{i}].Duration"), Text($"must be more than zero; got {step.Duration?.ToString() ?? "null"}"));
            }
        }

        return [.. steps];
    }

    private static void ValidateSalt(string? salt)
    {
        if (salt is null || salt.Length < MinSaltHexDigits || salt.Length > MaxSaltHexDigits || !salt.All(char.IsAsciiHexDigit))
        {
            throw Invalid(nameof(NewDeployment.Salt), Text($"must be {MinSaltHexDigits}–{MaxSaltHexDigits} hex digits (16 or more random bytes)"));
        }
    }

    private static ArgumentException Invalid(string field, string problem) => new($"{field} {problem}", field);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
