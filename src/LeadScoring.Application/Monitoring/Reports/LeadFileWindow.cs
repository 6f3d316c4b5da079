using LeadScoring.Core.Data;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Scoring;

namespace LeadScoring.Application.Monitoring.Reports;

/// <summary>
/// A file of leads, scored, as one monitoring window: what `leadscore drift` compares with a model's reference
/// profile. Outcomes come from the file's label column when it was read; revenue counts for converted leads only.
/// </summary>
public static class LeadFileWindow
{
    /// <summary>
    /// The window of <paramref name="table"/>'s leads with their <paramref name="scores"/> and bands. Each lead is
    /// taken as scored at its timestamp, or at <paramref name="scoredAt"/> when the table has none (every lead in one
    /// day, so precision at capacity takes the file's top K).
    /// </summary>
    public static MonitoringWindowData From(LeadTable table, double[] scores, ScoreBuckets bands, DateTimeOffset scoredAt)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(bands);
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            switch (column)
            {
                case NumericColumn n:
                    numeric[n.Spec.Name] = n.Values;
                    break;
                case CategoricalColumn c:
                    categorical[c.Spec.Name] = c.Values;
                    break;
            }
        }

        var count = table.Count;
        var converted = new bool?[count];
        var revenue = new double?[count];
        var ticks = new long[count];
        for (var i = 0; i < count; i++)
        {
            converted[i] = table.Labels?[i];
            revenue[i] = converted[i] == true && table.Revenue is { } r && double.IsFinite(r[i]) ? r[i] : null;
            ticks[i] = table.Timestamps?[i].UtcTicks ?? scoredAt.UtcTicks;
        }

        return new MonitoringWindowData(table.Schema, numeric, categorical, scores, scores.Select(bands.Of).ToArray(), converted, revenue, ticks);
    }
}
