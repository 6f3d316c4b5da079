using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>How many leads moved from one band under the champion to another under the challenger.</summary>
/// <param name="From">The champion's band.</param>
/// <param name="To">The challenger's band.</param>
/// <param name="Leads">Leads with that pair of bands.</param>
public sealed record BandTransition(string From, string To, long Leads);

/// <summary>Which leads would fill the sales team's daily call capacity under each model.</summary>
/// <param name="K">The capacity used: min(daily call capacity, leads).</param>
/// <param name="Overlap">Leads in both models' top K.</param>
/// <param name="Entered">Leads in the challenger's top K that the champion's top K lacks (= K − Overlap).</param>
/// <param name="ChampionConversions">Known conversions among the champion's top K.</param>
/// <param name="ChallengerConversions">Known conversions among the challenger's top K.</param>
public sealed record TopKChange(int K, int Overlap, int Entered, long ChampionConversions, long ChallengerConversions);

/// <summary>Agreement of the champion's and the challenger's scores on the same leads (shadow deployments).</summary>
/// <param name="Pairs">Leads scored by both.</param>
/// <param name="Pearson">Pearson correlation of the scores; null with fewer than two leads or a constant score.</param>
/// <param name="Spearman">Spearman rank correlation (mid-ranks for ties); null likewise.</param>
/// <param name="TopDecileAgreement">Share of the champion's top ⌈n/10⌉ leads that are also in the challenger's (ties broken by input order).</param>
/// <param name="Psi">PSI of the challenger's score distribution against the champion's, on the champion's decile bins.</param>
/// <param name="DeLong">DeLong's test on the labelled leads; null with fewer than two leads of either outcome.</param>
/// <param name="RocAuc">The AUC comparison with its always-valid mSPRT p-value (variance from DeLong); null when DeLong is.</param>
/// <param name="Bands">Every band seen, ordinal order.</param>
/// <param name="Transitions">Leads per (champion band, challenger band), non-empty cells only, ordinal order.</param>
/// <param name="BandChanges">Leads whose band differs between the models.</param>
/// <param name="TopK">The change in the top K (K = daily call capacity).</param>
public sealed record ShadowAgreement(
    long Pairs,
    double? Pearson,
    double? Spearman,
    double TopDecileAgreement,
    double Psi,
    DeLongResult? DeLong,
    MetricComparison? RocAuc,
    IReadOnlyList<string> Bands,
    IReadOnlyList<BandTransition> Transitions,
    long BandChanges,
    TopKChange TopK)
{
    /// <summary>Measures agreement over at least one pair.</summary>
    public static ShadowAgreement Of(IReadOnlyList<ShadowPair> pairs, ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(options);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("a shadow agreement needs at least one pair", nameof(pairs));
        }

        var champion = new double[pairs.Count];
        var challenger = new double[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            champion[i] = pairs[i].ChampionScore;
            challenger[i] = pairs[i].ChallengerScore;
        }

        var edges = Quantiles.BinEdges(champion);
        var psi = Divergence.Psi(Quantiles.CountInBins(champion, edges), Quantiles.CountInBins(challenger, edges));
        var (delong, auc) = CompareAuc(pairs, options);
        var (bands, transitions, changes) = BandMatrix(pairs);
        var decile = (int)Math.Ceiling(pairs.Count / 10.0);
        var topDecile = (double)Overlap(TopIndices(champion, decile), TopIndices(challenger, decile)) / decile;

        return new ShadowAgreement(
            pairs.Count,
            Correlate(champion, challenger, MathNet.Numerics.Statistics.Correlation.Pearson),
            Correlate(champion, challenger, MathNet.Numerics.Statistics.Correlation.Spearman),
            topDecile,
            psi,
            delong,
            auc,
            bands,
            transitions,
            changes,
            TopKOf(pairs, champion, challenger, options.DailyCallCapacity));
    }

    private static double? Correlate(double[] a, double[] b, Func<IEnumerable<double>, IEnumerable<double>, double> measure)
    {
        if (a.Length < 2)
        {
            return null;
        }

        var r = measure(a, b);
        return double.IsFinite(r) ? r : null;
    }

    private static (DeLongResult?, MetricComparison?) CompareAuc(IReadOnlyList<ShadowPair> pairs, ExperimentOptions options)
    {
        var labels = new List<bool>();
        var champion = new List<double>();
        var challenger = new List<double>();
        foreach (var pair in pairs)
        {
            if (pair.Converted is { } converted)
            {
                labels.Add(converted);
                champion.Add(pair.ChampionScore);
                challenger.Add(pair.ChallengerScore);
            }
        }

        var positives = labels.Count(l => l);
        if (positives < 2 || labels.Count - positives < 2)
        {
            return (null, null);
        }

        var delong = Statistics.DeLong.Compare([.. labels], [.. champion], [.. challenger]);
        var variance = delong.StandardError * delong.StandardError;
        var comparison = MetricComparison.FromEstimate(MetricComparison.RocAuc, delong.AucChampion, delong.AucChallenger, variance, options.MinimumAucLift, options.Alpha, delong.PValue);
        return (delong, comparison);
    }

    private static (IReadOnlyList<string>, IReadOnlyList<BandTransition>, long) BandMatrix(IReadOnlyList<ShadowPair> pairs)
    {
        var cells = new Dictionary<(string From, string To), long>();
        var bands = new SortedSet<string>(StringComparer.Ordinal);
        long changes = 0;
        foreach (var pair in pairs)
        {
            var key = (pair.ChampionBand ?? string.Empty, pair.ChallengerBand ?? string.Empty);
            cells[key] = cells.GetValueOrDefault(key) + 1;
            bands.Add(key.Item1);
            bands.Add(key.Item2);
            changes += string.Equals(key.Item1, key.Item2, StringComparison.Ordinal) ? 0 : 1;
        }

        var transitions = cells
            .OrderBy(c => c.Key.From, StringComparer.Ordinal)
            .ThenBy(c => c.Key.To, StringComparer.Ordinal)
            .Select(c => new BandTransition(c.Key.From, c.Key.To, c.Value))
            .ToList();
        return ([.. bands], transitions, changes);
    }

    private static TopKChange TopKOf(IReadOnlyList<ShadowPair> pairs, double[] champion, double[] challenger, int capacity)
    {
        var k = Math.Min(capacity, pairs.Count);
        var championTop = TopIndices(champion, k);
        var challengerTop = TopIndices(challenger, k);
        var overlap = Overlap(championTop, challengerTop);
        return new TopKChange(k, overlap, k - overlap, Conversions(pairs, championTop), Conversions(pairs, challengerTop));
    }

    private static long Conversions(IReadOnlyList<ShadowPair> pairs, HashSet<int> indices) => indices.LongCount(i => pairs[i].Converted == true);

    private static int Overlap(HashSet<int> a, HashSet<int> b) => a.Count(b.Contains);

    /// <summary>The indices of the <paramref name="k"/> highest scores; equal scores keep input order (earlier first).</summary>
    private static HashSet<int> TopIndices(double[] scores, int k)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k);
        return [.. order];
    }
}
