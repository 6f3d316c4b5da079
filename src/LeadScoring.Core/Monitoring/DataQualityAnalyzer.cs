using System.Globalization;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Monitoring;

/// <summary>
/// Data quality of every schema feature of a window against the reference profile: missing rate, zero rate,
/// values outside the reference's range and unseen categories. Drift asks whether the world changed; these
/// rates ask whether the data arriving is still the data the model was built on — a field arriving empty or
/// as 0 for everyone is a pipeline failure, which drift measures only see as "a lot of drift".
/// </summary>
public static class DataQualityAnalyzer
{
    private const int UnseenListed = 10;

    // A rate's increase must also be beyond this many standard errors of the reference rate at the window's size: on
    // an hourly window of a hundred-odd leads, a feature missing for 30 % of leads is missing for 40 % one hour in a
    // hundred by chance alone, and a data-quality failure pages someone. Four standard errors: about 3 in 100,000.
    private const double NoiseStandardErrors = 4;

    /// <summary>One quality entry per schema feature, in schema order.</summary>
    public static IReadOnlyList<FeatureQuality> Analyze(ReferenceProfile reference, MonitoringWindowData window, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        return window.Schema.Features.Select(spec => spec.Type switch
        {
            FeatureType.Numeric => Numeric(spec, reference.Numeric.FirstOrDefault(p => p.Name == spec.Name), window.Numeric[spec.Name], options),
            FeatureType.Boolean => Boolean(spec, reference.Categorical.FirstOrDefault(p => p.Name == spec.Name), window.Numeric[spec.Name], options),
            _ => Categorical(spec, reference.Categorical.FirstOrDefault(p => p.Name == spec.Name), window.Categorical[spec.Name], options),
        }).ToList();
    }

    /// <summary>
    /// The reference's share of zeros. The profile keeps no zero count, but when its minimum is 0 and its first
    /// (right-closed) bin ends at 0 that bin holds exactly the zeros; otherwise the share of its 101 percentiles
    /// equal to 0 estimates it to about 1 %.
    /// </summary>
    public static double ReferenceZeroRate(NumericProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Count == 0 || profile.Min > 0 || profile.Max < 0)
        {
            return 0;
        }

        if (profile.Min == 0 && profile.BinEdges.Count > 0 && profile.BinEdges[0] == 0)
        {
            return (double)profile.BinCounts[0] / profile.Count;
        }

        var zeros = profile.Percentiles.Count(p => p == 0);
        return Math.Min(1, zeros / 100.0);
    }

    private static FeatureQuality Numeric(FeatureSpec spec, NumericProfile? profile, double[] column, MonitoringOptions options)
    {
        long missing = 0, zeros = 0, outside = 0;
        var min = profile?.Min ?? double.NegativeInfinity;
        var max = profile?.Max ?? double.PositiveInfinity;
        foreach (var v in column)
        {
            if (!double.IsFinite(v))
            {
                missing++;
                continue;
            }

            zeros += v == 0 ? 1 : 0;
            outside += v < min || v > max ? 1 : 0;
        }

        var present = column.Length - missing;
        var problems = new List<string>();
        var missingRate = Rate(missing, column.Length);
        var referenceMissing = profile is null ? 0 : Rate(profile.Missing, profile.Count + profile.Missing);
        CheckMissing(problems, missingRate, referenceMissing, column.Length, options);
        var zeroRate = Rate(zeros, present);
        var referenceZero = profile is null ? 0 : ReferenceZeroRate(profile);
        var zeroLimit = Limit(options.MaxZeroRateIncrease, referenceZero, present);
        if (present > 0 && zeroRate - referenceZero > zeroLimit)
        {
            problems.Add($"zero rate {P(zeroRate)} against {P(referenceZero)} in the reference (limit +{P(zeroLimit)})");
        }

        var outOfRange = Rate(outside, present);
        if (outOfRange > options.MaxOutOfRangeRate)
        {
            problems.Add($"{P(outOfRange)} of values outside the reference range [{F(min)}, {F(max)}] (limit {P(options.MaxOutOfRangeRate)})");
        }

        return new FeatureQuality(spec.Name, spec.Type, VerdictOf(column.Length, problems), missingRate, referenceMissing,
            zeroRate, referenceZero, outOfRange, null, [], problems);
    }

    private static FeatureQuality Boolean(FeatureSpec spec, CategoricalProfile? profile, double[] column, MonitoringOptions options)
    {
        long missing = 0, invalid = 0;
        foreach (var v in column)
        {
            if (double.IsNaN(v))
            {
                missing++;
            }
            else if (v is not (0 or 1))
            {
                invalid++;
            }
        }

        var problems = new List<string>();
        var missingRate = Rate(missing, column.Length);
        var referenceMissing = profile is null ? 0 : Rate(profile.Missing, profile.Count + profile.Missing);
        CheckMissing(problems, missingRate, referenceMissing, column.Length, options);
        var invalidRate = Rate(invalid, column.Length - missing);
        if (invalidRate > options.MaxOutOfRangeRate)
        {
            problems.Add($"{P(invalidRate)} of values neither 0 nor 1 (limit {P(options.MaxOutOfRangeRate)})");
        }

        return new FeatureQuality(spec.Name, spec.Type, VerdictOf(column.Length, problems), missingRate, referenceMissing,
            null, null, invalidRate, null, [], problems);
    }

    private static FeatureQuality Categorical(FeatureSpec spec, CategoricalProfile? profile, string?[] column, MonitoringOptions options)
    {
        // Case-insensitive, as ProfileBuilder counted the reference.
        var known = new HashSet<string>(profile?.Categories.Select(c => c.Category) ?? [], StringComparer.OrdinalIgnoreCase);
        var unseen = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        long missing = 0, unseenCount = 0;
        foreach (var v in column)
        {
            if (v is null)
            {
                missing++;
            }
            else if (!known.Contains(v))
            {
                unseenCount++;
                unseen[v] = unseen.GetValueOrDefault(v) + 1;
            }
        }

        var problems = new List<string>();
        var missingRate = Rate(missing, column.Length);
        var referenceMissing = profile is null ? 0 : Rate(profile.Missing, profile.Count + profile.Missing);
        CheckMissing(problems, missingRate, referenceMissing, column.Length, options);
        var unseenRate = Rate(unseenCount, column.Length - missing);
        var listed = unseen.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(UnseenListed).Select(kv => kv.Key).ToList();
        if (unseenRate > options.MaxUnseenCategoryRate)
        {
            problems.Add($"{P(unseenRate)} of values in categories the reference never saw ({string.Join(", ", listed)}; limit {P(options.MaxUnseenCategoryRate)})");
        }

        return new FeatureQuality(spec.Name, spec.Type, VerdictOf(column.Length, problems), missingRate, referenceMissing,
            null, null, null, unseenRate, listed, problems);
    }

    private static void CheckMissing(List<string> problems, double rate, double reference, long rows, MonitoringOptions options)
    {
        var limit = Limit(options.MaxMissingRateIncrease, reference, rows);
        if (rate - reference > limit)
        {
            problems.Add($"missing rate {P(rate)} against {P(reference)} in the reference (limit +{P(limit)})");
        }
    }

    // The configured increase, widened on small windows to what chance alone almost never reaches.
    private static double Limit(double configured, double reference, long rows) =>
        rows <= 0 ? configured : Math.Max(configured, NoiseStandardErrors * Math.Sqrt(reference * (1 - reference) / rows));

    private static QualityVerdict VerdictOf(int rows, List<string> problems) =>
        rows == 0 ? QualityVerdict.InsufficientData : problems.Count > 0 ? QualityVerdict.Failed : QualityVerdict.Ok;

    private static double Rate(long count, long total) => total == 0 ? 0 : (double)count / total;

    private static string P(double rate) => rate.ToString("P1", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
