using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>An arm's labelled leads as the parallel arrays the statistics take.</summary>
internal sealed class ArmSample
{
    private ArmSample(List<LeadObservation> leads, bool[] labels, double[] scores, double[] convertedRevenue)
    {
        Leads = leads;
        Labels = labels;
        Scores = scores;
        ConvertedRevenue = convertedRevenue;
    }

    public List<LeadObservation> Leads { get; }

    public bool[] Labels { get; }

    public double[] Scores { get; }

    /// <summary>Revenue of each converted lead (0 when not reported); the other labelled leads count 0.</summary>
    public double[] ConvertedRevenue { get; }

    public long Conversions => ConvertedRevenue.Length;

    public bool AnyRevenue => Leads.Exists(l => l.Revenue is not null);

    public static ArmSample Labelled(IReadOnlyList<LeadObservation> leads)
    {
        var labelled = new List<LeadObservation>();
        foreach (var lead in leads)
        {
            if (!double.IsFinite(lead.Score))
            {
                throw new ArgumentException($"a lead's score is {lead.Score}; scores must be finite numbers", nameof(leads));
            }

            if (lead.Converted is not null)
            {
                labelled.Add(lead);
            }
        }

        var labels = new bool[labelled.Count];
        var scores = new double[labelled.Count];
        var revenue = new List<double>();
        for (var i = 0; i < labelled.Count; i++)
        {
            labels[i] = labelled[i].Converted == true;
            scores[i] = labelled[i].Score;
            if (labels[i])
            {
                revenue.Add(labelled[i].Revenue ?? 0);
            }
        }

        return new ArmSample(labelled, labels, scores, [.. revenue]);
    }

    /// <summary>ROC AUC when both outcomes occur, else null.</summary>
    public double? Auc() => Conversions > 0 && Conversions < Labels.Length ? ClassificationMetrics.RocAuc(Labels, Scores) : null;

    /// <summary>
    /// DeLong's variance of this arm's AUC (null with fewer than two leads of either outcome). DeLong.Compare
    /// against a constant scorer gives exactly it: a constant's structural components are all ½, so their
    /// variances and covariances vanish and Var(AUC_A − AUC_const) = Var(AUC_A).
    /// </summary>
    public double? AucVariance()
    {
        if (Conversions < 2 || Labels.Length - Conversions < 2)
        {
            return null;
        }

        var constant = new double[Scores.Length];
        var se = DeLong.Compare(Labels, Scores, constant).StandardError;
        return se * se;
    }

    /// <summary>Mean and sample variance (ddof = 1; NaN for one lead) of revenue per labelled lead; null below <paramref name="minimumLeads"/>.</summary>
    public (double Mean, double Variance)? RevenueMoments(int minimumLeads = 2)
    {
        long n = Labels.Length;
        if (n < Math.Max(1, minimumLeads))
        {
            return null;
        }

        var sum = new CompensatedSum(0);
        foreach (var r in ConvertedRevenue)
        {
            sum.Add(r);
        }

        var mean = sum.Value / n;
        var squares = new CompensatedSum((n - ConvertedRevenue.Length) * mean * mean);
        foreach (var r in ConvertedRevenue)
        {
            squares.Add((r - mean) * (r - mean));
        }

        return (mean, n > 1 ? squares.Value / (n - 1) : double.NaN);
    }
}
