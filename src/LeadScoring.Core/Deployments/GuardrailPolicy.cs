using System.Globalization;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>What one arm of a deployment did during the guardrail window.</summary>
/// <param name="Requests">Scoring requests the arm served in the window.</param>
/// <param name="Errors">Of those, requests the arm failed (for the challenger: fell back to the champion).</param>
/// <param name="LatencyP95Ms">95th percentile of the arm's scoring latency in milliseconds; null when not measured.</param>
/// <param name="LabelledLeads">Leads the arm scored whose outcome is known.</param>
/// <param name="Conversions">Of those, leads that converted.</param>
public sealed record ArmWindow(long Requests, long Errors, double? LatencyP95Ms, long LabelledLeads, long Conversions);

/// <summary>Thresholds of the guardrails (defaults from issue 8).</summary>
/// <param name="MaxErrorRate">The challenger breaches when its error rate is above this (default 2 %).</param>
/// <param name="MinRequests">
/// Requests an arm needs in the window before its error rate or P95 is judged (default 100). One error in three
/// requests is 33 %, but says little: with 100 requests the rule needs at least 3 errors, and a challenger whose
/// true error rate is an acceptable 0.5 % shows 3 or more in 100 requests only 1.4 % of the time, while one that
/// fails every request is caught as soon as 100 requests reach it.
/// </param>
/// <param name="MaxLatencyRatio">The challenger breaches when its P95 is above this multiple of the champion's (default 1.5).</param>
/// <param name="MaxConversionDrop">The challenger breaches when its conversion rate is lower than the champion's by more than this relative share (default 10 %) ...</param>
/// <param name="Alpha">... and a one-sided two-proportion z-test at this level says the drop is real (default 0.05).</param>
/// <param name="MinLabelledLeads">Labelled leads each arm needs before the conversion rule is judged (default 50).</param>
public sealed record GuardrailOptions(
    double MaxErrorRate = 0.02,
    long MinRequests = 100,
    double MaxLatencyRatio = 1.5,
    double MaxConversionDrop = 0.10,
    double Alpha = 0.05,
    long MinLabelledLeads = 50)
{
    /// <summary>The defaults.</summary>
    public static readonly GuardrailOptions Default = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(MaxErrorRate is >= 0 and < 1, nameof(MaxErrorRate), MaxErrorRate, "must lie in [0, 1)");
        Require(MinRequests >= 1, nameof(MinRequests), MinRequests, "must be at least 1");
        Require(MaxLatencyRatio >= 1 && double.IsFinite(MaxLatencyRatio), nameof(MaxLatencyRatio), MaxLatencyRatio, "must be a finite number ≥ 1");
        Require(MaxConversionDrop is > 0 and < 1, nameof(MaxConversionDrop), MaxConversionDrop, "must lie in (0, 1)");
        Require(Alpha is > 0 and < 1, nameof(Alpha), Alpha, "must lie in (0, 1)");
        Require(MinLabelledLeads >= 2, nameof(MinLabelledLeads), MinLabelledLeads, "must be at least 2");
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }
    }
}

/// <summary>The outcome of one guardrail evaluation.</summary>
/// <param name="Breached">True when a rule was broken: traffic must return to the champion.</param>
/// <param name="Rule">The broken rule (<see cref="GuardrailPolicy.ErrorRateRule"/>, <see cref="GuardrailPolicy.LatencyRule"/>, <see cref="GuardrailPolicy.ConversionRule"/>); null when held.</param>
/// <param name="Reason">A sentence with the measured figures: why it breached, or what held (and what could not be judged yet).</param>
public sealed record GuardrailVerdict(bool Breached, string? Rule, string Reason)
{
    /// <summary>True when every rule held (or could not be judged yet).</summary>
    public bool Held => !Breached;
}

/// <summary>
/// The rollback rules of a canary or A/B deployment, judged on one sliding window of both arms. Pure: the caller
/// gathers the window (arm counters and outcomes) and acts on the verdict. Rules are checked in the order error
/// rate, latency, conversion; the first breach is reported.
/// </summary>
public static class GuardrailPolicy
{
    /// <summary>Rule name: the challenger's error rate is above the maximum.</summary>
    public const string ErrorRateRule = "error_rate";

    /// <summary>Rule name: the challenger's P95 latency is above the allowed multiple of the champion's.</summary>
    public const string LatencyRule = "latency_p95";

    /// <summary>Rule name: the challenger converts significantly worse than the champion.</summary>
    public const string ConversionRule = "conversion_drop";

    /// <summary>Judges the challenger's window against the champion's.</summary>
    public static GuardrailVerdict Evaluate(ArmWindow champion, ArmWindow challenger, GuardrailOptions options)
    {
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Check(champion, nameof(champion));
        Check(challenger, nameof(challenger));

        var held = new List<string>(3);

        // Error rate: only judged once enough requests make one error in a few requests meaningless.
        if (challenger.Requests >= options.MinRequests)
        {
            var rate = (double)challenger.Errors / challenger.Requests;
            var figures = Invariant($"challenger error rate {Percent(rate)} ({challenger.Errors} of {challenger.Requests} requests)");
            if (rate > options.MaxErrorRate)
            {
                return new GuardrailVerdict(true, ErrorRateRule, Invariant($"{Capitalise(figures)} is above the {Percent(options.MaxErrorRate)} limit."));
            }

            held.Add(Invariant($"{figures} ≤ {Percent(options.MaxErrorRate)}"));
        }
        else
        {
            held.Add(Invariant($"error rate not judged yet ({challenger.Requests} of {options.MinRequests} challenger requests)"));
        }

        // Latency: both P95s must rest on enough requests.
        if (challenger.LatencyP95Ms is { } p95 && champion.LatencyP95Ms is { } championP95
            && challenger.Requests >= options.MinRequests && champion.Requests >= options.MinRequests)
        {
            var limit = options.MaxLatencyRatio * championP95;
            var figures = Invariant($"challenger P95 {p95:0.###} ms against the champion's {championP95:0.###} ms");
            if (p95 > limit)
            {
                return new GuardrailVerdict(true, LatencyRule, Invariant($"{Capitalise(figures)} is above the limit of {options.MaxLatencyRatio:0.##} × {championP95:0.###} = {limit:0.###} ms."));
            }

            held.Add(Invariant($"{figures} ≤ {limit:0.###} ms"));
        }
        else
        {
            held.Add("P95 latency not judged yet (too few requests or no measurement)");
        }

        if (champion.LabelledLeads >= options.MinLabelledLeads && challenger.LabelledLeads >= options.MinLabelledLeads)
        {
            var test = TwoProportionZTest.Test(champion.Conversions, champion.LabelledLeads, challenger.Conversions, challenger.LabelledLeads);
            var drop = test.RateA > 0 ? (test.RateA - test.RateB) / test.RateA : 0.0;

            // One-sided: P(Z ≤ z) under equal rates, small when the challenger converts less.
            var pLower = NormalTail.Upper(-test.Z);
            var figures = Invariant(
                $"challenger conversion {Percent(test.RateB)} ({challenger.Conversions}/{challenger.LabelledLeads}) against the champion's {Percent(test.RateA)} ({champion.Conversions}/{champion.LabelledLeads}): {Percent(drop)} lower, one-sided p = {pLower:0.####}");
            if (drop > options.MaxConversionDrop && pLower < options.Alpha)
            {
                return new GuardrailVerdict(true, ConversionRule, Invariant($"{Capitalise(figures)}; more than {Percent(options.MaxConversionDrop)} lower and significant at α = {options.Alpha}."));
            }

            held.Add(figures);
        }
        else
        {
            held.Add(Invariant($"conversion not judged yet ({champion.LabelledLeads} and {challenger.LabelledLeads} labelled leads; {options.MinLabelledLeads} per arm needed)"));
        }

        return new GuardrailVerdict(false, null, "Guardrails held: " + string.Join("; ", held) + ".");
    }

    private static void Check(ArmWindow arm, string name)
    {
        if (arm.Requests < 0 || arm.Errors < 0 || arm.Errors > arm.Requests)
        {
            throw new ArgumentException($"{name}: errors ({arm.Errors}) must lie in [0, requests = {arm.Requests}]", name);
        }

        if (arm.LabelledLeads < 0 || arm.Conversions < 0 || arm.Conversions > arm.LabelledLeads)
        {
            throw new ArgumentException($"{name}: conversions ({arm.Conversions}) must lie in [0, labelled leads = {arm.LabelledLeads}]", name);
        }

        if (arm.LatencyP95Ms is { } p95 && !(p95 >= 0 && double.IsFinite(p95)))
        {
            throw new ArgumentException($"{name}: the P95 latency {p95} must be a finite number ≥ 0", name);
        }
    }

    internal static string Percent(double share) => Invariant($"{share * 100:0.##} %");

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
