namespace LeadScoring.Core.Deployments;

/// <summary>One step of a canary rollout.</summary>
/// <param name="Share">The challenger's share of leads during the step, in (0, 1].</param>
/// <param name="Duration">How long the step must run with its guardrails held before the next step; null for the last step (it runs until approval).</param>
public sealed record CanaryStep(double Share, TimeSpan? Duration);

/// <summary>Where a canary stands and whether its current step may advance.</summary>
/// <param name="Step">The current step (0-based).</param>
/// <param name="Share">The current step's share.</param>
/// <param name="IsLastStep">True at the last step: nothing to advance to (the next move is an approval).</param>
/// <param name="Due">True when the step's duration has elapsed with guardrails held throughout: advance now.</param>
/// <param name="DueAt">When the step becomes due if the guardrails keep holding; null at the last step or while they do not hold.</param>
/// <param name="NextShare">The next step's share; null at the last step.</param>
public sealed record CanaryProgress(int Step, double Share, bool IsLastStep, bool Due, DateTimeOffset? DueAt, double? NextShare);

/// <summary>
/// Pure helpers for a stepped rollout: the default plan, validation, and when a step is due. A step is due once
/// its duration has passed since the later of its start and the moment since which the guardrails have held
/// without a break (the caller knows that moment, e.g. from its last breach-free evaluation streak): a step
/// advances only when its guardrails held for the whole of its duration.
/// </summary>
public static class CanaryPlan
{
    /// <summary>Issue 8's default: 10 % for 1 day, 50 % for 2 days, then 100 % (no duration).</summary>
    public static readonly IReadOnlyList<CanaryStep> DefaultSteps =
    [
        new(0.10, TimeSpan.FromDays(1)),
        new(0.50, TimeSpan.FromDays(2)),
        new(1.00, null),
    ];

    /// <summary>
    /// Checks a plan: at least one step, shares strictly increasing in (0, 1] and ending at 1.0, every duration
    /// positive except the last, which has none. Throws <see cref="ArgumentException"/> naming the step and field
    /// (e.g. "steps[1].share").
    /// </summary>
    public static void Validate(IReadOnlyList<CanaryStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            throw new ArgumentException("a canary needs at least one step", nameof(steps));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i] ?? throw new ArgumentException($"steps[{i}] is null", nameof(steps));
            if (!(step.Share > 0 && step.Share <= 1))
            {
                throw new ArgumentException($"steps[{i}].share is {step.Share}; a share lies in (0, 1]", nameof(steps));
            }

            if (i > 0 && step.Share <= steps[i - 1].Share)
            {
                throw new ArgumentException($"steps[{i}].share ({step.Share}) must be larger than steps[{i - 1}].share ({steps[i - 1].Share})", nameof(steps));
            }

            var last = i == steps.Count - 1;
            if (last && step.Share != 1.0)
            {
                throw new ArgumentException($"steps[{i}].share is {step.Share}; the last step must serve every lead (1.0)", nameof(steps));
            }

            if (last && step.Duration is not null)
            {
                throw new ArgumentException($"steps[{i}].duration must be empty: the last step runs until approval", nameof(steps));
            }

            if (!last && !(step.Duration > TimeSpan.Zero))
            {
                throw new ArgumentException($"steps[{i}].duration must be positive", nameof(steps));
            }
        }
    }

    /// <summary>
    /// Where the canary stands at <paramref name="now"/>.
    /// </summary>
    /// <param name="steps">The plan (validated).</param>
    /// <param name="step">The current step, 0-based.</param>
    /// <param name="stepStartedAt">When the current step started.</param>
    /// <param name="guardrailsHeldSince">Since when the guardrails have held without a break; null when they do not hold now (never due).</param>
    /// <param name="now">The current time.</param>
    public static CanaryProgress Progress(IReadOnlyList<CanaryStep> steps, int step, DateTimeOffset stepStartedAt, DateTimeOffset? guardrailsHeldSince, DateTimeOffset now)
    {
        Validate(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, steps.Count);
        var current = steps[step];
        if (step == steps.Count - 1)
        {
            return new CanaryProgress(step, current.Share, true, false, null, null);
        }

        var next = steps[step + 1].Share;
        if (guardrailsHeldSince is not { } heldSince)
        {
            return new CanaryProgress(step, current.Share, false, false, null, next);
        }

        // Held for the whole duration: count from the later of the step's start and the start of the unbroken streak.
        var from = heldSince > stepStartedAt ? heldSince : stepStartedAt;
        var dueAt = from + current.Duration!.Value;
        return new CanaryProgress(step, current.Share, false, now >= dueAt, dueAt, next);
    }

    /// <summary>True when the current step should advance now (see <see cref="Progress"/>).</summary>
    public static bool IsDue(IReadOnlyList<CanaryStep> steps, int step, DateTimeOffset stepStartedAt, DateTimeOffset? guardrailsHeldSince, DateTimeOffset now) =>
        Progress(steps, step, stepStartedAt, guardrailsHeldSince, now).Due;

    /// <summary>The share of the step after <paramref name="step"/>, or null at the last step.</summary>
    public static double? NextShare(IReadOnlyList<CanaryStep> steps, int step)
    {
        Validate(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, steps.Count);
        return step + 1 < steps.Count ? steps[step + 1].Share : null;
    }
}
