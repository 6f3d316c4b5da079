namespace LeadScoring.Core.Statistics;

/// <summary>One look of a mixture sequential probability ratio test.</summary>
/// <param name="Estimate">The effect estimate θ̂ at this look (e.g. treatment − control conversion rate).</param>
/// <param name="StandardError">√V, the estimate's standard error.</param>
/// <param name="LikelihoodRatio">Λ, the mixture likelihood ratio of "some effect" against "no effect".</param>
/// <param name="PValue">The always-valid p-value at this look, min(1, 1/Λ) (see <see cref="SequentialMonitor"/> for the running one).</param>
/// <param name="Interval">The always-valid confidence interval at this look.</param>
public sealed record SequentialLook(double Estimate, double StandardError, double LikelihoodRatio, double PValue, ConfidenceInterval Interval);

/// <summary>
/// The mixture sequential probability ratio test (mSPRT; Robbins 1970, Johari et al. 2017, as in Optimizely's
/// and Eppo's sequential engines) for an effect θ whose estimate θ̂ is approximately N(θ, V). With a normal
/// mixing distribution N(0, τ²) over the alternative, the likelihood ratio against θ = 0 has the closed form
/// Λ = √(V/(V+τ²)) · exp(τ²θ̂² / (2V(V+τ²))). Under θ = 0, Λ is a non-negative martingale with mean 1, so by
/// Ville's inequality P(Λ ever reaches 1/α) ≤ α: the test can be looked at after every lead or every day,
/// and stopped whenever, without inflating the false-positive rate.
/// </summary>
public static class MixtureSequentialTest
{
    /// <summary>
    /// A mixing variance τ² centred on the effect one hopes to detect: (baseline × relative lift)². τ² should be
    /// of the order of plausible squared effects; the test stays valid for any τ², only its speed changes.
    /// </summary>
    public static double MixingVarianceFor(double baselineRate, double expectedRelativeLift)
    {
        SampleGuard.Probability(baselineRate, nameof(baselineRate));
        var effect = baselineRate * expectedRelativeLift;
        if (!(effect != 0 && double.IsFinite(effect)))
        {
            throw new ArgumentOutOfRangeException(nameof(expectedRelativeLift), expectedRelativeLift, "the expected lift must be a non-zero number");
        }

        return effect * effect;
    }

    /// <summary>Evaluates one look from an estimate and its variance.</summary>
    public static SequentialLook Evaluate(double estimate, double variance, double mixingVariance, double alpha = 0.05)
    {
        if (!double.IsFinite(estimate))
        {
            throw new ArgumentException($"the estimate is {estimate}", nameof(estimate));
        }

        if (!(variance >= 0 && double.IsFinite(variance)))
        {
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "a variance is a finite number ≥ 0");
        }

        if (!(mixingVariance > 0 && double.IsFinite(mixingVariance)))
        {
            throw new ArgumentOutOfRangeException(nameof(mixingVariance), mixingVariance, "the mixing variance τ² must be positive");
        }

        SampleGuard.Probability(alpha, nameof(alpha));
        if (variance == 0)
        {
            // No information yet (e.g. no conversions in either arm): no evidence either way.
            return new SequentialLook(estimate, 0, 1, 1, new ConfidenceInterval(double.NegativeInfinity, double.PositiveInfinity, 1 - alpha));
        }

        var total = variance + mixingVariance;
        var logRatio = (0.5 * Math.Log(variance / total)) + (mixingVariance * estimate * estimate / (2 * variance * total));
        var ratio = Math.Exp(logRatio);
        var p = Math.Min(1.0, Math.Exp(-logRatio));

        // The interval inverts the test: every θ₀ whose Λ(θ₀) stays below 1/α.
        var half = Math.Sqrt(variance * total / mixingVariance * ((2 * Math.Log(1 / alpha)) + Math.Log(total / variance)));
        return new SequentialLook(estimate, Math.Sqrt(variance), ratio, p, new ConfidenceInterval(estimate - half, estimate + half, 1 - alpha));
    }

    /// <summary>One look at running conversion totals: θ̂ = treatment − control rate, V from the unpooled binomial variances.</summary>
    public static SequentialLook EvaluateConversions(long controlLeads, long controlConversions, long treatmentLeads, long treatmentConversions, double mixingVariance, double alpha = 0.05)
    {
        SampleGuard.Count(controlConversions, controlLeads, nameof(controlConversions), nameof(controlLeads));
        SampleGuard.Count(treatmentConversions, treatmentLeads, nameof(treatmentConversions), nameof(treatmentLeads));
        var pc = (double)controlConversions / controlLeads;
        var pt = (double)treatmentConversions / treatmentLeads;
        var variance = (pc * (1 - pc) / controlLeads) + (pt * (1 - pt) / treatmentLeads);
        return Evaluate(pt - pc, variance, mixingVariance, alpha);
    }
}

/// <summary>
/// The running state of an mSPRT across looks (immutable: each look returns a new monitor). The always-valid
/// p-value is the smallest p-value seen so far and the interval is the intersection of all looks' intervals;
/// both keep their guarantee however often and whenever the test is looked at.
/// </summary>
/// <param name="Alpha">Significance level.</param>
/// <param name="MixingVariance">τ² of the normal mixing distribution.</param>
/// <param name="Looks">Looks so far.</param>
/// <param name="PValue">Running always-valid p-value.</param>
/// <param name="Interval">Running always-valid confidence interval.</param>
/// <param name="Last">The most recent look, or null before the first.</param>
public sealed record SequentialMonitor(double Alpha, double MixingVariance, int Looks, double PValue, ConfidenceInterval Interval, SequentialLook? Last)
{
    /// <summary>True once the running p-value is at or below α: the effect is significant and the test may stop.</summary>
    public bool RejectNull => PValue <= Alpha;

    /// <summary>A monitor before any look.</summary>
    public static SequentialMonitor Start(double mixingVariance, double alpha = 0.05)
    {
        SampleGuard.Probability(alpha, nameof(alpha));
        if (!(mixingVariance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(mixingVariance), mixingVariance, "the mixing variance τ² must be positive");
        }

        return new SequentialMonitor(alpha, mixingVariance, 0, 1.0, new ConfidenceInterval(double.NegativeInfinity, double.PositiveInfinity, 1 - alpha), null);
    }

    /// <summary>Adds a look given the running estimate and its variance.</summary>
    public SequentialMonitor Observe(double estimate, double variance) =>
        Combine(MixtureSequentialTest.Evaluate(estimate, variance, MixingVariance, Alpha));

    /// <summary>Adds a look at running conversion totals (cumulative since the start, not the day's increment).</summary>
    public SequentialMonitor ObserveConversions(long controlLeads, long controlConversions, long treatmentLeads, long treatmentConversions) =>
        Combine(MixtureSequentialTest.EvaluateConversions(controlLeads, controlConversions, treatmentLeads, treatmentConversions, MixingVariance, Alpha));

    private SequentialMonitor Combine(SequentialLook look) =>
        this with
        {
            Looks = Looks + 1,
            PValue = Math.Min(PValue, look.PValue),
            Interval = new ConfidenceInterval(Math.Max(Interval.Lower, look.Interval.Lower), Math.Min(Interval.Upper, look.Interval.Upper), Interval.Level),
            Last = look,
        };
}
