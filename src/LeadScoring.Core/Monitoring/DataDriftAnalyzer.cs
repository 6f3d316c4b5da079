using System.Globalization;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>
/// Data drift of every schema feature of a window against the model's reference profile: all the measures of
/// <see cref="FeatureDrift"/>, a minimum sample size below which the verdict is "insufficient data", and a
/// Benjamini–Hochberg adjustment of the features' test p-values (KS, χ², z) so that testing eleven features
/// at once does not multiply false alarms. The size-aware rule of docs/statistics.md picks what decides: a test
/// (on its adjusted p-value) for small windows, a distance for large ones.
/// </summary>
public static class DataDriftAnalyzer
{
    /// <summary>One verdict per schema feature, in schema order.</summary>
    public static IReadOnlyList<FeatureDriftVerdict> Analyze(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options) =>
        Verdicts(reference, window, options, parallel: true);

    /// <summary><see cref="Analyze"/>, the features measured one at a time unless <paramref name="parallel"/>.</summary>
    internal static IReadOnlyList<FeatureDriftVerdict> Verdicts(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options, bool parallel)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        // Each feature is measured alone (its own sort of a million values), so they run in parallel; every result
        // goes to its feature's slot, so the verdicts are the same, in the same order, as one at a time.
        var features = window.Schema.Features;
        var reports = new (FeatureSpec Spec, FeatureDriftReport? Report, long Count, string? Why, double? Trimmed)[features.Count];
        if (parallel)
        {
            Parallel.For(0, features.Count, f => reports[f] = Measure(reference, window, features[f], options));
        }
        else
        {
            for (var f = 0; f < features.Count; f++)
            {
                reports[f] = Measure(reference, window, features[f], options);
            }
        }

        // Adjust only the tests that were run: a feature without data has no p-value to share the budget with.
        var tested = reports.Where(r => r.Report is not null).ToList();
        var adjusted = BenjaminiHochberg.Adjust(tested.Select(r => TestOf(r.Report!).PValue ?? 1).ToList());
        var adjustedByFeature = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < tested.Count; i++)
        {
            adjustedByFeature[tested[i].Spec.Name] = adjusted[i];
        }

        return reports.Select(r => Verdict(r.Spec, r.Report, r.Count, r.Why, r.Trimmed, adjustedByFeature, options)).ToList();
    }

    /// <summary>The type's own test (KS, χ², two-proportion z), whose p-value enters the adjustment.</summary>
    internal static DriftResult TestOf(FeatureDriftReport report) => report.Get(report.Type switch
    {
        FeatureType.Numeric => DriftMethod.KolmogorovSmirnov,
        FeatureType.Categorical => DriftMethod.ChiSquare,
        _ => DriftMethod.TwoProportionZ,
    });

    private static (FeatureSpec, FeatureDriftReport?, long, string?, double?) Measure(ReferenceProfile reference, MonitoringWindowData window, FeatureSpec spec, MonitoringOptions options)
    {
        var min = options.MinimumSampleSize;
        if (spec.Type == FeatureType.Numeric)
        {
            var profile = reference.Numeric.FirstOrDefault(p => p.Name == spec.Name);
            var present = PresentSorted(window.Numeric[spec.Name]);
            if (profile is null || profile.Count < min || present.Length < min)
            {
                return (spec, null, present.Length, Insufficient(profile?.Count, present.Length, min), null);
            }

            return (spec, FeatureDrift.Numeric(profile, SortedSample.FromSorted(present), options.Drift), present.Length, null, TrimmedWasserstein.Normalised(profile, present));
        }

        var categorical = reference.Categorical.FirstOrDefault(p => p.Name == spec.Name);
        if (spec.Type == FeatureType.Categorical)
        {
            var values = window.Categorical[spec.Name];
            var count = values.LongCount(v => v is not null);
            if (categorical is null || categorical.Count < min || count < min)
            {
                return (spec, null, count, Insufficient(categorical?.Count, count, min), null);
            }

            return (spec, FeatureDrift.Categorical(categorical, values, options.Drift), count, null, null);
        }

        var flags = PresentBooleans(window.Numeric[spec.Name]);
        if (categorical is null || categorical.Count < min || flags.Length < min)
        {
            return (spec, null, flags.Length, Insufficient(categorical?.Count, flags.Length, min), null);
        }

        return (spec, FeatureDrift.Boolean(categorical, flags, options.Drift), flags.Length, null, null);
    }

    private static FeatureDriftVerdict Verdict(
        FeatureSpec spec, FeatureDriftReport? report, long count, string? why, double? trimmed, Dictionary<string, double> adjusted, MonitoringOptions options)
    {
        if (report is null)
        {
            return new FeatureDriftVerdict(spec.Name, spec.Type, DriftVerdict.InsufficientData, why!, count, null, null, null, null);
        }

        var test = TestOf(report);
        var adjustedP = adjusted[spec.Name];
        var decision = report.Decision;
        bool drifted;
        string reason;
        if (decision.PValue is not null)
        {
            drifted = adjustedP < options.Drift.Alpha;
            reason = $"{Name(decision.Method)} p = {F(decision.PValue.Value)}, Benjamini–Hochberg adjusted {F(adjustedP)} {(drifted ? "<" : "≥")} α = {F(options.Drift.Alpha)} over {count} values";
        }
        else if (decision.Method == DriftMethod.NormalisedWasserstein && trimmed is not null)
        {
            // The profile's sketch cannot see the tails (see TrimmedWasserstein), so the central 98 % decides.
            drifted = trimmed.Value > decision.Threshold;
            reason = $"normalised Wasserstein over the central 98 % = {F(trimmed.Value)} {(drifted ? ">" : "≤")} {F(decision.Threshold)} over {count} values (full range {F(decision.Statistic)}; a distance decides above {options.Drift.SmallSampleLimit} rows)";
        }
        else
        {
            drifted = decision.Drifted;
            reason = $"{Name(decision.Method)} = {F(decision.Statistic)} {(drifted ? ">" : "≤")} {F(decision.Threshold)} over {count} values (a distance decides above {options.Drift.SmallSampleLimit} rows)";
        }

        reason += $"; PSI {F(report.Psi.Statistic)} ({report.Severity.ToString().ToLowerInvariant()})";
        return new FeatureDriftVerdict(spec.Name, spec.Type, drifted ? DriftVerdict.Drifted : DriftVerdict.Stable, reason, count, report, test.PValue, adjustedP, trimmed);
    }

    private static string Insufficient(long? referenceCount, long currentCount, int min) => referenceCount is null
        ? "insufficient data: the reference profile has no entry for this feature"
        : $"insufficient data: {Math.Min(referenceCount.Value, currentCount)} present values (window {currentCount}, reference {referenceCount}), at least {min} needed";

    /// <summary>The finite values, sorted (missing and non-finite values are a quality matter, not a distribution).</summary>
    internal static double[] PresentSorted(double[] column)
    {
        var present = new double[column.Length];
        var n = 0;
        foreach (var v in column)
        {
            if (double.IsFinite(v))
            {
                present[n++] = v;
            }
        }

        Array.Resize(ref present, n);
        Array.Sort(present);
        return present;
    }

    private static bool[] PresentBooleans(double[] column)
    {
        var flags = new List<bool>(column.Length);
        foreach (var v in column)
        {
            if (!double.IsNaN(v))
            {
                flags.Add(v != 0);
            }
        }

        return [.. flags];
    }

    private static string Name(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "KS",
        DriftMethod.ChiSquare => "χ²",
        DriftMethod.TwoProportionZ => "two-proportion z",
        DriftMethod.NormalisedWasserstein => "normalised Wasserstein",
        DriftMethod.JensenShannonDistance => "Jensen–Shannon distance",
        _ => method.ToString(),
    };

    private static string F(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
