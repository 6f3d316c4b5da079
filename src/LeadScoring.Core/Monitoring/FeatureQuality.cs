using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Monitoring;

/// <summary>What the quality check concluded about one feature.</summary>
public enum QualityVerdict
{
    /// <summary>Every rate within its limit.</summary>
    Ok,

    /// <summary>A rate jumped beyond its limit: most likely a broken pipeline, not a changing world.</summary>
    Failed,

    /// <summary>The window holds no leads.</summary>
    InsufficientData,
}

/// <summary>One feature's data quality in a window, beside the reference's.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Type">Feature type.</param>
/// <param name="Verdict">Ok, failed or insufficient data.</param>
/// <param name="MissingRate">Share of the window's leads without a value.</param>
/// <param name="ReferenceMissingRate">The same share in the reference.</param>
/// <param name="ZeroRate">Numeric features: share of present values equal to 0; null otherwise.</param>
/// <param name="ReferenceZeroRate">The reference's share of zeros (exact when its lowest bin holds only zeros, else from its percentiles to about 1 %).</param>
/// <param name="OutOfRangeRate">Share of present values outside the reference's [min, max] (booleans: neither 0 nor 1); null for categoricals.</param>
/// <param name="UnseenCategoryRate">Categorical features: share of present values in categories the reference never saw; null otherwise.</param>
/// <param name="UnseenCategories">Up to 10 unseen categories, most frequent first.</param>
/// <param name="Problems">One sentence per limit exceeded (empty when ok).</param>
public sealed record FeatureQuality(
    string Feature,
    FeatureType Type,
    QualityVerdict Verdict,
    double MissingRate,
    double ReferenceMissingRate,
    double? ZeroRate,
    double? ReferenceZeroRate,
    double? OutOfRangeRate,
    double? UnseenCategoryRate,
    IReadOnlyList<string> UnseenCategories,
    IReadOnlyList<string> Problems);
