using System.Diagnostics.CodeAnalysis;

namespace LeadScoring.Storage.Deployments;

/// <summary>The wire names of modes, states, event actions and alert levels, and the default canary plan.</summary>
public static class DeploymentNames
{
    public const string Started = "started";
    public const string StepAdvanced = "step_advanced";
    public const string RolledBack = "rolled_back";
    public const string Aborted = "aborted";
    public const string Approved = "approved";
    public const string Completed = "completed";

    public const string Critical = "critical";
    public const string Warning = "warning";
    public const string Info = "info";

    /// <summary>The alert a rollback writes.</summary>
    public const string RolledBackAlert = "deployment_rolled_back";

    /// <summary>The default configured share of an ab deployment.</summary>
    public const double DefaultAbShare = 0.10;

    /// <summary>10 % for a day, 50 % for two days, then 100 % (no duration: it waits for approval).</summary>
    public static IReadOnlyList<CanaryStepSpec> DefaultCanarySteps { get; } =
    [
        new(0.10, TimeSpan.FromDays(1)),
        new(0.50, TimeSpan.FromDays(2)),
        new(1.0, null),
    ];

    /// <summary>"single", "shadow", "ab", "canary".</summary>
    public static string Of(DeploymentMode mode) => mode switch
    {
        DeploymentMode.Single => "single",
        DeploymentMode.Shadow => "shadow",
        DeploymentMode.AB => "ab",
        DeploymentMode.Canary => "canary",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown deployment mode"),
    };

    /// <summary>"active", "completed", "rolled_back", "aborted".</summary>
    public static string Of(DeploymentState state) => state switch
    {
        DeploymentState.Active => "active",
        DeploymentState.Completed => "completed",
        DeploymentState.RolledBack => "rolled_back",
        DeploymentState.Aborted => "aborted",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown deployment state"),
    };

    /// <summary>Parses a mode's wire name (exact, lowercase).</summary>
    public static bool TryParseMode(string? name, [NotNullWhen(true)] out DeploymentMode? mode)
    {
        mode = name switch
        {
            "single" => DeploymentMode.Single,
            "shadow" => DeploymentMode.Shadow,
            "ab" => DeploymentMode.AB,
            "canary" => DeploymentMode.Canary,
            _ => null,
        };
        return mode is not null;
    }

    /// <summary>Parses a state's wire name (exact, lowercase).</summary>
    public static bool TryParseState(string? name, [NotNullWhen(true)] out DeploymentState? state)
    {
        state = name switch
        {
            "active" => DeploymentState.Active,
            "completed" => DeploymentState.Completed,
            "rolled_back" => DeploymentState.RolledBack,
            "aborted" => DeploymentState.Aborted,
            _ => null,
        };
        return state is not null;
    }

    internal static DeploymentMode ParseMode(string name) =>
        TryParseMode(name, out var mode) ? mode.Value : throw new InvalidDataException($"unknown deployment mode '{name}' in the store");

    internal static DeploymentState ParseState(string name) =>
        TryParseState(name, out var state) ? state.Value : throw new InvalidDataException($"unknown deployment state '{name}' in the store");
}
