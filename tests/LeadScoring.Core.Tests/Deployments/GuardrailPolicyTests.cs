using LeadScoring.Core.Deployments;

namespace LeadScoring.Core.Tests.Deployments;

public sealed class GuardrailPolicyTests
{
    private static readonly GuardrailOptions Options = GuardrailOptions.Default;

    // A champion with plenty of traffic, a 10 ms P95 and a 20 % conversion rate on 1,000 labelled leads.
    private static readonly ArmWindow Champion = new(10_000, 10, 10.0, 1000, 200);

    [Fact]
    public void A_healthy_challenger_holds_and_the_reason_names_the_figures()
    {
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 5, 11.0, 1000, 205), Options);

        Assert.True(verdict.Held);
        Assert.Null(verdict.Rule);
        Assert.Contains("0.5 % (5 of 1000 requests)", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("P95 11 ms", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, false)] // exactly 2 %: not above the limit
    [InlineData(21, true)] // 2.1 %
    public void The_error_rate_rule_breaks_just_above_two_percent(long errors, bool breached)
    {
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, errors, 10.0, 0, 0), Options);

        Assert.Equal(breached, verdict.Breached);
        if (breached)
        {
            Assert.Equal(GuardrailPolicy.ErrorRateRule, verdict.Rule);
            Assert.Contains("2.1 % (21 of 1000 requests)", verdict.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(3, 1, false)] // 1 error in 3 requests: 33 %, but too few requests to judge
    [InlineData(99, 99, false)] // every request failed, still one short of the minimum
    [InlineData(100, 3, true)] // at the minimum: 3 % is judged and breaches
    public void The_error_rate_is_judged_only_from_the_minimum_request_count(long requests, long errors, bool breached)
    {
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(requests, errors, null, 0, 0), Options);

        Assert.Equal(breached, verdict.Breached);
        if (!breached)
        {
            Assert.Contains($"error rate not judged yet ({requests} of 100 challenger requests)", verdict.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(15.0, false)] // exactly 1.5 × 10 ms
    [InlineData(15.01, true)]
    public void The_latency_rule_breaks_above_one_and_a_half_times_the_champions_p95(double p95, bool breached)
    {
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, p95, 0, 0), Options);

        Assert.Equal(breached, verdict.Breached);
        Assert.Equal(breached ? GuardrailPolicy.LatencyRule : null, verdict.Rule);
        if (breached)
        {
            Assert.Contains("Challenger P95 15.01 ms against the champion's 10 ms is above the limit of 1.5 × 10 = 15 ms.", verdict.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Latency_is_not_judged_on_too_few_requests_or_without_a_measurement()
    {
        Assert.True(GuardrailPolicy.Evaluate(Champion, new ArmWindow(99, 0, 500.0, 0, 0), Options).Held);
        Assert.True(GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, null, 0, 0), Options).Held);
        Assert.True(GuardrailPolicy.Evaluate(Champion with { LatencyP95Ms = null }, new ArmWindow(1000, 0, 500.0, 0, 0), Options).Held);
        Assert.True(GuardrailPolicy.Evaluate(Champion with { Requests = 50 }, new ArmWindow(1000, 0, 500.0, 0, 0), Options).Held);
    }

    [Fact]
    public void A_large_and_significant_conversion_drop_breaches()
    {
        // 20 % → 15 %: 25 % lower; z = −2.95 on 1,000 leads each, one-sided p ≈ 0.0016.
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, 10.0, 1000, 150), Options);

        Assert.True(verdict.Breached);
        Assert.Equal(GuardrailPolicy.ConversionRule, verdict.Rule);
        Assert.Contains("challenger conversion 15 % (150/1000) against the champion's 20 % (200/1000): 25 % lower, one-sided p = 0.0016", verdict.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_large_drop_that_is_not_significant_holds()
    {
        // 20 % → 15 % on 60 leads each: 25 % lower but one-sided p ≈ 0.24.
        var verdict = GuardrailPolicy.Evaluate(new ArmWindow(10_000, 0, 10.0, 60, 12), new ArmWindow(1000, 0, 10.0, 60, 9), Options);

        Assert.True(verdict.Held);
        Assert.Contains("25 % lower", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_significant_drop_within_ten_percent_holds()
    {
        // 20 % → 19 %: 5 % lower, and significant on 100,000 leads each (one-sided p ≈ 1e−8): within the tolerated drop.
        var verdict = GuardrailPolicy.Evaluate(new ArmWindow(10_000, 0, 10.0, 100_000, 20_000), new ArmWindow(1000, 0, 10.0, 100_000, 19_000), Options);

        Assert.True(verdict.Held);
    }

    [Theory]
    [InlineData(172, false)] // 14 % lower, but one-sided p = 0.0538
    [InlineData(171, true)] // 14.5 % lower, one-sided p = 0.0476
    public void The_conversion_rule_needs_significance_at_alpha(long conversions, bool breached)
    {
        // Champion 200/1,000 = 20 %; z = (p_b − p_a)/√(p̄(1 − p̄)(1/1000 + 1/1000)), p = Φ(z) (SciPy norm.cdf).
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, 10.0, 1000, conversions), Options);

        Assert.Equal(breached, verdict.Breached);
        Assert.Contains(breached ? "one-sided p = 0.0476" : "one-sided p = 0.0538", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.30, false)] // 25 % lower and significant, but within a 30 % limit
    [InlineData(0.20, true)] // beyond a 20 % limit
    public void The_relative_drop_limit_is_configurable(double limit, bool breached)
    {
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, 10.0, 1000, 150), Options with { MaxConversionDrop = limit });

        Assert.Equal(breached, verdict.Breached);
    }

    [Fact]
    public void Conversion_is_not_judged_below_the_minimum_labelled_leads()
    {
        // 20 % → 0 % would breach, but the challenger has only 49 labelled leads.
        var verdict = GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, 10.0, 49, 0), Options);

        Assert.True(verdict.Held);
        Assert.Contains("conversion not judged yet (1000 and 49 labelled leads; 50 per arm needed)", verdict.Reason, StringComparison.Ordinal);
        Assert.True(GuardrailPolicy.Evaluate(Champion, new ArmWindow(1000, 0, 10.0, 50, 0), Options).Breached);
    }

    [Fact]
    public void Bad_windows_and_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GuardrailPolicy.Evaluate(Champion, new ArmWindow(1, 2, null, 0, 0), Options));
        Assert.Throws<ArgumentException>(() => GuardrailPolicy.Evaluate(Champion, new ArmWindow(1, 0, null, 1, 2), Options));
        Assert.Throws<ArgumentException>(() => GuardrailPolicy.Evaluate(Champion, new ArmWindow(1, 0, double.NaN, 0, 0), Options));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuardrailPolicy.Evaluate(Champion, Champion, Options with { MaxLatencyRatio = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuardrailPolicy.Evaluate(Champion, Champion, Options with { MinRequests = 0 }));
    }
}
