using LeadScoring.Core.Deployments;

namespace LeadScoring.Core.Tests.Deployments;

public sealed class CanaryPlanTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_default_plan_is_ten_percent_for_a_day_fifty_for_two_then_everything()
    {
        CanaryPlan.Validate(CanaryPlan.DefaultSteps);

        Assert.Equal([0.10, 0.50, 1.00], CanaryPlan.DefaultSteps.Select(s => s.Share));
        Assert.Equal([TimeSpan.FromDays(1), TimeSpan.FromDays(2), (TimeSpan?)null], CanaryPlan.DefaultSteps.Select(s => s.Duration));
    }

    [Fact]
    public void A_step_is_due_exactly_when_its_duration_has_passed_with_guardrails_held_since_its_start()
    {
        var steps = CanaryPlan.DefaultSteps;

        var before = CanaryPlan.Progress(steps, 0, Start, Start, Start.AddDays(1).AddTicks(-1));
        var at = CanaryPlan.Progress(steps, 0, Start, Start, Start.AddDays(1));

        Assert.False(before.Due);
        Assert.True(at.Due);
        Assert.Equal(Start.AddDays(1), at.DueAt);
        Assert.Equal(0.10, at.Share);
        Assert.Equal(0.50, at.NextShare);
        Assert.False(at.IsLastStep);
    }

    [Fact]
    public void Guardrails_that_broke_during_the_step_restart_the_clock_from_when_they_held_again()
    {
        // Second step (2 days) started at Start; guardrails hold only since 12 hours later.
        var heldSince = Start.AddHours(12);

        Assert.False(CanaryPlan.IsDue(CanaryPlan.DefaultSteps, 1, Start, heldSince, Start.AddDays(2)));
        Assert.True(CanaryPlan.IsDue(CanaryPlan.DefaultSteps, 1, Start, heldSince, Start.AddDays(2).AddHours(12)));

        // Held since before the step started: the step's own start counts.
        Assert.True(CanaryPlan.IsDue(CanaryPlan.DefaultSteps, 1, Start, Start.AddDays(-5), Start.AddDays(2)));
    }

    [Fact]
    public void A_step_is_never_due_while_guardrails_do_not_hold_or_at_the_last_step()
    {
        var notHolding = CanaryPlan.Progress(CanaryPlan.DefaultSteps, 0, Start, null, Start.AddDays(30));
        var last = CanaryPlan.Progress(CanaryPlan.DefaultSteps, 2, Start, Start, Start.AddDays(30));

        Assert.False(notHolding.Due);
        Assert.Null(notHolding.DueAt);
        Assert.Equal(0.50, notHolding.NextShare);
        Assert.False(last.Due);
        Assert.True(last.IsLastStep);
        Assert.Null(last.NextShare);
        Assert.Equal(1.0, last.Share);
    }

    [Fact]
    public void Next_share_follows_the_plan()
    {
        Assert.Equal(0.5, CanaryPlan.NextShare(CanaryPlan.DefaultSteps, 0));
        Assert.Equal(1.0, CanaryPlan.NextShare(CanaryPlan.DefaultSteps, 1));
        Assert.Null(CanaryPlan.NextShare(CanaryPlan.DefaultSteps, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryPlan.NextShare(CanaryPlan.DefaultSteps, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryPlan.NextShare(CanaryPlan.DefaultSteps, -1));
    }

    public static TheoryData<CanaryStep[], string> BadPlans() => new()
    {
        { [], "at least one step" },
        { [new(0.5, TimeSpan.FromDays(1)), new(0.5, null)], "steps[1].share (0.5) must be larger than steps[0].share" },
        { [new(0.1, TimeSpan.FromDays(1)), new(0.9, null)], "steps[1].share is 0.9; the last step must serve every lead" },
        { [new(0, TimeSpan.FromDays(1)), new(1, null)], "steps[0].share is 0" },
        { [new(0.1, TimeSpan.Zero), new(1, null)], "steps[0].duration must be positive" },
        { [new(0.1, TimeSpan.FromDays(1)), new(1, TimeSpan.FromDays(1))], "steps[1].duration must be empty" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void Bad_plans_are_refused_naming_the_step(CanaryStep[] steps, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => CanaryPlan.Validate(steps));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
