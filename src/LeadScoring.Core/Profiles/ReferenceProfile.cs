using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Profiles;

/// <summary>
/// What the training data looked like, kept in the model package so drift can be measured later without
/// the training file: per feature, bins and summary statistics; and the distribution of the model's scores.
/// </summary>
/// <param name="Rows">Rows profiled.</param>
/// <param name="PositiveRate">Share of converted leads, when labels were known.</param>
/// <param name="Numeric">One profile per numeric feature, in schema order.</param>
/// <param name="Categorical">One profile per categorical or boolean feature, in schema order.</param>
/// <param name="Score">The distribution of the model's scores on the profiled rows.</param>
public sealed record ReferenceProfile(
    long Rows,
    double? PositiveRate,
    IReadOnlyList<NumericProfile> Numeric,
    IReadOnlyList<CategoricalProfile> Categorical,
    NumericProfile? Score);

/// <summary>A numeric feature's reference distribution.</summary>
/// <param name="Name">Feature name.</param>
/// <param name="Count">Non-missing values.</param>
/// <param name="Missing">Missing values.</param>
/// <param name="Mean">Mean of the non-missing values.</param>
/// <param name="StdDev">Population standard deviation (ddof = 0).</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="BinEdges">Distinct decile edges; bins are right-closed (see <see cref="Statistics.Quantiles.BinEdges(ReadOnlySpan{double}, int)"/>).</param>
/// <param name="BinCounts">Values per bin (BinEdges.Length + 1 bins).</param>
/// <param name="Percentiles">The 0th, 1st, …, 100th percentiles (linear interpolation): a sketch of the distribution.</param>
public sealed record NumericProfile(
    string Name,
    long Count,
    long Missing,
    double Mean,
    double StdDev,
    double Min,
    double Max,
    IReadOnlyList<double> BinEdges,
    IReadOnlyList<long> BinCounts,
    IReadOnlyList<double> Percentiles);

/// <summary>A categorical (or boolean, as "true"/"false") feature's reference frequencies.</summary>
/// <param name="Name">Feature name.</param>
/// <param name="Type">Categorical or boolean.</param>
/// <param name="Count">Non-missing values.</param>
/// <param name="Missing">Missing values.</param>
/// <param name="Categories">Each category seen and its count, most frequent first.</param>
public sealed record CategoricalProfile(
    string Name,
    FeatureType Type,
    long Count,
    long Missing,
    IReadOnlyList<CategoryCount> Categories);

/// <summary>A category and how often it occurred.</summary>
/// <param name="Category">The category (first-seen spelling when case variants occur).</param>
/// <param name="Count">Occurrences.</param>
public sealed record CategoryCount(string Category, long Count);
