using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Monitoring;

/// <summary>A band's conversions and revenue over its leads with a known outcome.</summary>
/// <param name="Band">Band name.</param>
/// <param name="Leads">Leads scored into the band.</param>
/// <param name="Labelled">Of them, with a known outcome.</param>
/// <param name="Conversions">Converted among the labelled.</param>
/// <param name="ConversionRate">Conversions / Labelled (0 when none labelled).</param>
/// <param name="RevenuePerLead">Revenue / Labelled (a converted lead without revenue counts 0; 0 when none labelled).</param>
public sealed record BandBusiness(string Band, long Leads, long Labelled, long Conversions, double ConversionRate, double RevenuePerLead);

/// <summary>
/// Precision at daily capacity: sales can call K leads a day, so what matters is how many of each day's K
/// best-scored leads convert, against the base rate of calling leads at random.
/// </summary>
/// <param name="Capacity">K, leads called per day.</param>
/// <param name="Days">UTC days with scored leads.</param>
/// <param name="Selected">Leads in the days' top K.</param>
/// <param name="Labelled">Of them, with a known outcome.</param>
/// <param name="Conversions">Converted among the labelled.</param>
/// <param name="Precision">Conversions / Labelled (0 when none labelled).</param>
/// <param name="BaseRate">Conversion rate of every labelled lead of the window.</param>
/// <param name="Lift">Precision / BaseRate (0 when nobody converted).</param>
public sealed record CapacityPrecision(int Capacity, int Days, long Selected, long Labelled, long Conversions, double Precision, double BaseRate, double Lift);

/// <summary>The window in the sales team's terms: conversion and revenue per band, lift by decile, precision at capacity.</summary>
/// <param name="ByBand">One row per band, by descending lead count.</param>
/// <param name="LiftByDecile">Lift and cumulative gain over ten score groups of the labelled leads; empty when fewer than ten are labelled.</param>
/// <param name="AtCapacity">Precision of each day's top K.</param>
public sealed record BusinessReport(IReadOnlyList<BandBusiness> ByBand, IReadOnlyList<LiftRow> LiftByDecile, CapacityPrecision AtCapacity)
{
    /// <summary>Computes the business figures of a window.</summary>
    public static BusinessReport Of(MonitoringWindowData window, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(options);
        var (labels, scores) = PerformanceReport.Labelled(window);
        var lift = labels.Length >= 10 ? LiftAnalysis.ByGroup(labels, scores) : [];
        return new BusinessReport(CountByBand(window), lift, PrecisionAtCapacity(window, options.DailyCapacity));
    }

    private static List<BandBusiness> CountByBand(MonitoringWindowData window)
    {
        var bands = new Dictionary<string, (long Leads, long Labelled, long Conversions, double Revenue)>(StringComparer.Ordinal);
        for (var i = 0; i < window.Count; i++)
        {
            var b = bands.GetValueOrDefault(window.Bands[i]);
            b.Leads++;
            if (window.Converted[i] is { } converted)
            {
                b.Labelled++;
                b.Conversions += converted ? 1 : 0;
                b.Revenue += converted ? window.Revenue[i] ?? 0 : 0;
            }

            bands[window.Bands[i]] = b;
        }

        return bands.OrderByDescending(kv => kv.Value.Leads).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new BandBusiness(kv.Key, kv.Value.Leads, kv.Value.Labelled, kv.Value.Conversions,
                Ratio(kv.Value.Conversions, kv.Value.Labelled), Ratio(kv.Value.Revenue, kv.Value.Labelled)))
            .ToList();
    }

    private static CapacityPrecision PrecisionAtCapacity(MonitoringWindowData window, int capacity)
    {
        var byDay = new SortedDictionary<long, List<int>>();
        long allLabelled = 0, allConversions = 0;
        for (var i = 0; i < window.Count; i++)
        {
            var d = window.ScoredAt[i] / TimeSpan.TicksPerDay;
            if (!byDay.TryGetValue(d, out var leads))
            {
                byDay[d] = leads = [];
            }

            leads.Add(i);
            allLabelled += window.Converted[i].HasValue ? 1 : 0;
            allConversions += window.Converted[i] == true ? 1 : 0;
        }

        long selected = 0, labelled = 0, conversions = 0;
        foreach (var leads in byDay.Values)
        {
            // Descending score through a primitive-key sort (fast); which of several tied leads at the K-th place is taken is up to the sort.
            var keys = new double[leads.Count];
            var index = leads.ToArray();
            for (var k = 0; k < index.Length; k++)
            {
                keys[k] = -window.Scores[index[k]];
            }

            Array.Sort(keys, index);
            var take = Math.Min(capacity, index.Length);
            for (var k = 0; k < take; k++)
            {
                var known = window.Converted[index[k]];
                selected++;
                labelled += known.HasValue ? 1 : 0;
                conversions += known == true ? 1 : 0;
            }
        }

        var precision = Ratio(conversions, labelled);
        var baseRate = Ratio(allConversions, allLabelled);
        return new CapacityPrecision(capacity, byDay.Count, selected, labelled, conversions, precision, baseRate, baseRate > 0 ? precision / baseRate : 0);
    }

    private static double Ratio(double numerator, long denominator) => denominator == 0 ? 0 : numerator / denominator;
}
