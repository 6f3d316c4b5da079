using System.Globalization;
using LeadScoring.Core.Profiles;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Statistics;

/// <summary>
/// Drift of one feature between a reference (raw values or the stored <see cref="ReferenceProfile"/>) and a
/// current sample: PSI, KL and Jensen–Shannon on shared bins for every type; KS and normalised Wasserstein for
/// numerics; chi-square for categoricals; the two-proportion z-test for booleans. Missing values are not part
/// of any distribution: pass present values only (NaN is rejected with its index).
/// </summary>
public static class FeatureDrift
{
    /// <summary>
    /// The measure that decides drift: a test when the smaller sample has at most
    /// <see cref="DriftOptions.SmallSampleLimit"/> rows (KS, χ², z), a distance above it (normalised Wasserstein
    /// for numerics, Jensen–Shannon for categoricals and booleans), since large samples make every p-value tiny.
    /// </summary>
    public static DriftMethod DecisionMethodFor(FeatureType type, long referenceCount, long currentCount, DriftOptions? options = null)
    {
        options ??= DriftOptions.Default;
        var small = Math.Min(referenceCount, currentCount) <= options.SmallSampleLimit;
        return type switch
        {
            FeatureType.Numeric => small ? DriftMethod.KolmogorovSmirnov : DriftMethod.NormalisedWasserstein,
            FeatureType.Categorical => small ? DriftMethod.ChiSquare : DriftMethod.JensenShannonDistance,
            FeatureType.Boolean => small ? DriftMethod.TwoProportionZ : DriftMethod.JensenShannonDistance,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown feature type"),
        };
    }

    /// <summary>Numeric drift between raw samples (each sorted once).</summary>
    public static FeatureDriftReport Numeric(string feature, ReadOnlySpan<double> reference, ReadOnlySpan<double> current, DriftOptions? options = null) =>
        Numeric(feature, SortedSample.From(reference, nameof(reference)), SortedSample.From(current, nameof(current)), options);

    /// <summary>Numeric drift between sorted samples: bins are the reference's distinct quantile edges.</summary>
    public static FeatureDriftReport Numeric(string feature, SortedSample reference, SortedSample current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= DriftOptions.Default;
        options.Validate();
        SampleGuard.NotEmpty(reference.Count, nameof(reference));
        SampleGuard.NotEmpty(current.Count, nameof(current));
        var edges = Quantiles.BinEdges(reference, options.BinCount);
        var bins = NumericBins(edges, Quantiles.CountSortedInBins(reference, edges), Quantiles.CountSortedInBins(current, edges));
        var ks = KolmogorovSmirnov.TwoSample(reference, current);
        var wasserstein = Wasserstein.Normalised(reference, current);
        return NumericReport(feature, reference.Count, current.Count, bins, ks.Statistic, ks.PValue, wasserstein, approximate: false, options);
    }

    /// <summary>
    /// Numeric drift of a current sample against a stored profile: PSI, KL and JS are exact (the profile keeps
    /// its bin edges and counts); KS and Wasserstein are approximations from its 101-percentile sketch.
    /// </summary>
    public static FeatureDriftReport Numeric(NumericProfile reference, SortedSample current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= DriftOptions.Default;
        options.Validate();
        SampleGuard.NotEmpty(current.Count, nameof(current));
        var sketch = PercentileSketch.Of(reference);
        var edges = reference.BinEdges.ToArray();
        var referenceCounts = reference.BinCounts.ToArray();
        if (referenceCounts.Length != edges.Length + 1)
        {
            throw new ArgumentException($"the profile of '{reference.Name}' has {edges.Length} edges but {referenceCounts.Length} bin counts; edges + 1 are needed", nameof(reference));
        }

        var bins = NumericBins(edges, referenceCounts, Quantiles.CountSortedInBins(current, edges));
        var d = sketch.KsStatisticTo(current.Values);
        var p = KolmogorovSmirnov.PValue(d, ClampToInt(reference.Count), current.Count);
        var wasserstein = sketch.WassersteinTo(current.Values) / Math.Max(reference.StdDev, Wasserstein.MinimumScale);
        return NumericReport(reference.Name, reference.Count, current.Count, bins, d, p, wasserstein, approximate: true, options);
    }

    /// <summary>Categorical drift between raw samples (null = missing, not counted); categories match ordinally.</summary>
    public static FeatureDriftReport Categorical(string feature, IEnumerable<string?> reference, IEnumerable<string?> current, DriftOptions? options = null) =>
        Categorical(feature, CategoryCounts.Count(reference), CategoryCounts.Count(current), StringComparer.Ordinal, options);

    /// <summary>
    /// Categorical drift of a current sample against a stored profile; categories match case-insensitively, as
    /// <see cref="ProfileBuilder"/> counted them.
    /// </summary>
    public static FeatureDriftReport Categorical(CategoricalProfile reference, IEnumerable<string?> current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var referenceCounts = reference.Categories.Select(c => new KeyValuePair<string, long>(c.Category, c.Count));
        return Categorical(reference.Name, referenceCounts, CategoryCounts.Count(current, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase, options);
    }

    /// <summary>Categorical drift between two samples' category counts.</summary>
    public static FeatureDriftReport Categorical(
        string feature,
        IEnumerable<KeyValuePair<string, long>> referenceCounts,
        IEnumerable<KeyValuePair<string, long>> currentCounts,
        IEqualityComparer<string>? comparer = null,
        DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(feature);
        options ??= DriftOptions.Default;
        options.Validate();
        var aligned = CategoryCounts.Align(referenceCounts, currentCounts, comparer, options.MaxCategoryBins);
        var bins = new DriftBins(aligned.Categories, null, aligned.ReferenceCounts, aligned.CurrentCounts);
        var (referenceTotal, currentTotal) = Totals(bins, feature);
        var results = DistributionResults(feature, bins, options);
        var chi = ChiSquareTest.Homogeneity(bins.ReferenceCounts, bins.CurrentCounts);
        var drifted = chi.PValue < options.Alpha;
        results.Add(new DriftResult(feature, DriftMethod.ChiSquare, chi.Statistic, chi.PValue, chi.CramersV, options.Alpha, Flag(drifted), drifted));
        return new FeatureDriftReport(feature, FeatureType.Categorical, referenceTotal, currentTotal, bins, results,
            DecisionMethodFor(FeatureType.Categorical, referenceTotal, currentTotal, options));
    }

    /// <summary>Boolean drift between raw samples.</summary>
    public static FeatureDriftReport Boolean(string feature, ReadOnlySpan<bool> reference, ReadOnlySpan<bool> current, DriftOptions? options = null) =>
        Boolean(feature, CountTrue(reference), reference.Length, CountTrue(current), current.Length, options);

    /// <summary>Boolean drift of a current sample against a stored profile (categories "true"/"false").</summary>
    public static FeatureDriftReport Boolean(CategoricalProfile reference, ReadOnlySpan<bool> current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var yes = reference.Categories.Where(c => string.Equals(c.Category, "true", StringComparison.OrdinalIgnoreCase)).Sum(c => c.Count);
        var total = reference.Categories.Sum(c => c.Count);
        return Boolean(reference.Name, yes, total, CountTrue(current), current.Length, options);
    }

    /// <summary>Boolean drift from counts of true values and totals.</summary>
    public static FeatureDriftReport Boolean(string feature, long referenceTrue, long referenceCount, long currentTrue, long currentCount, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(feature);
        options ??= DriftOptions.Default;
        options.Validate();
        SampleGuard.Count(referenceTrue, referenceCount, nameof(referenceTrue), nameof(referenceCount));
        SampleGuard.Count(currentTrue, currentCount, nameof(currentTrue), nameof(currentCount));
        var bins = new DriftBins(["false", "true"], null, [referenceCount - referenceTrue, referenceTrue], [currentCount - currentTrue, currentTrue]);
        var results = DistributionResults(feature, bins, options);
        var z = TwoProportionZTest.Test(referenceTrue, referenceCount, currentTrue, currentCount);
        var drifted = z.PValue < options.Alpha;
        results.Add(new DriftResult(feature, DriftMethod.TwoProportionZ, z.Z, z.PValue, z.CohensH, options.Alpha, Flag(drifted), drifted));
        return new FeatureDriftReport(feature, FeatureType.Boolean, referenceCount, currentCount, bins, results,
            DecisionMethodFor(FeatureType.Boolean, referenceCount, currentCount, options));
    }

    private static FeatureDriftReport NumericReport(
        string feature, long referenceCount, long currentCount, DriftBins bins, double ks, double ksP, double wasserstein, bool approximate, DriftOptions options)
    {
        var results = DistributionResults(feature, bins, options);
        var ksDrifted = ksP < options.Alpha;
        results.Add(new DriftResult(feature, DriftMethod.KolmogorovSmirnov, ks, ksP, ks, options.Alpha, Flag(ksDrifted), ksDrifted, approximate));
        var wDrifted = wasserstein > options.WassersteinThreshold;
        results.Add(new DriftResult(feature, DriftMethod.NormalisedWasserstein, wasserstein, null, wasserstein, options.WassersteinThreshold, Flag(wDrifted), wDrifted, approximate));
        return new FeatureDriftReport(feature, FeatureType.Numeric, referenceCount, currentCount, bins, results,
            DecisionMethodFor(FeatureType.Numeric, referenceCount, currentCount, options));
    }

    /// <summary>PSI, KL and JS on the shared bins.</summary>
    private static List<DriftResult> DistributionResults(string feature, DriftBins bins, DriftOptions options)
    {
        var psi = Divergence.Psi(bins.ReferenceCounts, bins.CurrentCounts, options.ProportionFloor);
        var psiSeverity = options.PsiSeverity(psi);
        var kl = Divergence.KullbackLeibler(bins.ReferenceCounts, bins.CurrentCounts, options.ProportionFloor);
        var js = Divergence.JensenShannonDistance(bins.ReferenceCounts, bins.CurrentCounts, options.ProportionFloor);
        var klDrifted = kl > options.KullbackLeiblerThreshold;
        var jsDrifted = js > options.JensenShannonThreshold;
        return
        [
            new DriftResult(feature, DriftMethod.PopulationStabilityIndex, psi, null, psi, options.PsiWarning, psiSeverity, psiSeverity != DriftSeverity.None),
            new DriftResult(feature, DriftMethod.KullbackLeibler, kl, null, kl, options.KullbackLeiblerThreshold, Flag(klDrifted), klDrifted),
            new DriftResult(feature, DriftMethod.JensenShannonDistance, js, null, js, options.JensenShannonThreshold, Flag(jsDrifted), jsDrifted),
        ];
    }

    private static DriftBins NumericBins(double[] edges, long[] referenceCounts, long[] currentCounts)
    {
        var labels = new string[edges.Length + 1];
        for (var i = 0; i <= edges.Length; i++)
        {
            var lower = i == 0 ? "-inf" : Format(edges[i - 1]);
            labels[i] = i == edges.Length ? $"({lower}, +inf)" : $"({lower}, {Format(edges[i])}]";
        }

        return new DriftBins(labels, edges, referenceCounts, currentCounts);
    }

    private static (long Reference, long Current) Totals(DriftBins bins, string feature)
    {
        var reference = bins.ReferenceCounts.Sum();
        var current = bins.CurrentCounts.Sum();
        if (reference == 0 || current == 0)
        {
            throw new ArgumentException($"feature '{feature}' has no values in the {(reference == 0 ? "reference" : "current")} sample; drift needs both");
        }

        return (reference, current);
    }

    private static long CountTrue(ReadOnlySpan<bool> values)
    {
        long count = 0;
        foreach (var v in values)
        {
            count += v ? 1 : 0;
        }

        return count;
    }

    private static int ClampToInt(long count) => (int)Math.Min(count, int.MaxValue);

    private static DriftSeverity Flag(bool drifted) => drifted ? DriftSeverity.Warning : DriftSeverity.None;

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
