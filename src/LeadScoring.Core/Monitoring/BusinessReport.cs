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
        // The leads grouped by day (ascending) with one counting pass instead of a list per day: the days of a
        // window are few, its leads a million.
        var bucketOf = new int[window.Count];
        var bucketOfDay = new Dictionary<long, int>();
        long allLabelled = 0, allConversions = 0;
        var last = long.MinValue;
        var lastBucket = -1;
        var sizes = new List<int>();
        for (var i = 0; i < window.Count; i++)
        {
            var d = window.ScoredAt[i] / TimeSpan.TicksPerDay;
            if (d != last)
            {
                if (!bucketOfDay.TryGetValue(d, out lastBucket))
                {
                    bucketOfDay[d] = lastBucket = bucketOfDay.Count;
                    sizes.Add(0);
                }

                last = d;
            }

            bucketOf[i] = lastBucket;
            sizes[lastBucket]++;
            allLabelled += window.Converted[i].HasValue ? 1 : 0;
            allConversions += window.Converted[i] == true ? 1 : 0;
        }

        var days = bucketOfDay.Keys.Order().ToArray();
        var starts = new int[days.Length + 1];
        for (var k = 0; k < days.Length; k++)
        {
            starts[k + 1] = starts[k] + sizes[bucketOfDay[days[k]]];
        }

        var startOfBucket = new int[days.Length];
        for (var k = 0; k < days.Length; k++)
        {
            startOfBucket[bucketOfDay[days[k]]] = starts[k];
        }

        // Within a day the leads stay in window order, as the lists held them.
        var grouped = new int[window.Count];
        for (var i = 0; i < window.Count; i++)
        {
            grouped[startOfBucket[bucketOf[i]]++] = i;
        }

        long selected = 0, labelled = 0, conversions = 0;
        for (var k = 0; k < days.Length; k++)
        {
            // Descending score through a primitive-key sort (fast); which of several tied leads at the K-th place is taken is up to the sort.
            var index = grouped[starts[k]..starts[k + 1]];
            var keys = new double[index.Length];
            for (var j = 0; j < index.Length; j++)
            {
                keys[j] = -window.Scores[index[j]];
            }

            Array.Sort(keys, index);
            var take = Math.Min(capacity, index.Length);
            for (var j = 0; j < take; j++)
            {
                var known = window.Converted[index[j]];
                selected++;
                labelled += known.HasValue ? 1 : 0;
                conversions += known == true ? 1 : 0;
            }
        }

        var precision = Ratio(conversions, labelled);
        var baseRate = Ratio(allConversions, allLabelled);
        return new CapacityPrecision(capacity, days.Length, selected, labelled, conversions, precision, baseRate, baseRate > 0 ? precision / baseRate : 0);
    }

    private static double Ratio(double numerator, long denominator) => denominator == 0 ? 0 : numerator / denominator;
}
