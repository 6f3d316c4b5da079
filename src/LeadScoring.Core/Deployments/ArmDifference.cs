using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Deployments;

/// <summary>How many labelled leads each arm needs for the configured minimum lift, and how far the experiment is.</summary>
/// <param name="BaselineRate">The champion's conversion rate the size is computed for.</param>
/// <param name="MinimumLift">The relative lift to detect.</param>
/// <param name="RequiredPerArm">Labelled leads per arm for a two-sided test at α with the configured power.</param>
/// <param name="LabelledPerArm">Labelled leads of the smaller arm so far.</param>
/// <param name="Progress">LabelledPerArm / RequiredPerArm, capped at 1.</param>
public sealed record SampleSizeProgress(double BaselineRate, double MinimumLift, long RequiredPerArm, long LabelledPerArm, double Progress);

/// <summary>Challenger against champion in a split experiment; a comparison is null until both arms have the data it needs.</summary>
/// <param name="Conversion">Conversion rate over labelled leads (two-proportion z-test; mSPRT on the rate difference).</param>
/// <param name="RevenuePerLead">Revenue per labelled lead (Welch t-test; mSPRT on the mean difference).</param>
/// <param name="RocAuc">ROC AUC of each arm on its own labelled leads (independent samples: DeLong variances add).</param>
/// <param name="SampleSize">Sample size for the configured minimum conversion lift and progress; null while the champion's rate is 0 or 1.</param>
public sealed record ArmDifference(MetricComparison? Conversion, MetricComparison? RevenuePerLead, MetricComparison? RocAuc, SampleSizeProgress? SampleSize)
{
    /// <summary>Compares the two arms of a split experiment.</summary>
    internal static ArmDifference Of(ArmSample champion, ArmSample challenger, ExperimentOptions options)
    {
        long nc = champion.Labels.Length, nt = challenger.Labels.Length;
        MetricComparison? conversion = null;
        SampleSizeProgress? sampleSize = null;
        if (nc > 0 && nt > 0)
        {
            var fixedTest = ExperimentComparison.Conversions(nc, champion.Conversions, nt, challenger.Conversions);
            double pc = fixedTest.ControlRate, pt = fixedTest.TreatmentRate;
            var variance = (pc * (1 - pc) / nc) + (pt * (1 - pt) / nt);
            conversion = MetricComparison.FromEstimate(MetricComparison.ConversionRate, pc, pt, variance, options.MinimumLift, options.Alpha, fixedTest.PValue);
            var treated = pc * (1 + options.MinimumLift);
            if (pc > 0 && pc < 1 && treated < 1)
            {
                var required = Statistics.SampleSize.PerArm(pc, options.MinimumLift, options.Alpha, options.Power);
                var have = Math.Min(nc, nt);
                sampleSize = new SampleSizeProgress(pc, options.MinimumLift, required, have, Math.Min(1.0, (double)have / required));
            }
        }

        MetricComparison? revenue = null;
        if ((champion.AnyRevenue || challenger.AnyRevenue) && champion.RevenueMoments() is { } rc && challenger.RevenueMoments() is { } rt)
        {
            var welch = ExperimentComparison.RevenuePerLead(nc, champion.ConvertedRevenue, nt, challenger.ConvertedRevenue);
            var variance = (rc.Variance / nc) + (rt.Variance / nt);
            revenue = MetricComparison.FromEstimate(MetricComparison.RevenuePerLead, rc.Mean, rt.Mean, variance, options.MinimumLift, options.Alpha, welch.PValue);
        }

        MetricComparison? auc = null;
        if (champion.AucVariance() is { } vc && challenger.AucVariance() is { } vt)
        {
            auc = MetricComparison.FromEstimate(MetricComparison.RocAuc, champion.Auc()!.Value, challenger.Auc()!.Value, vc + vt, options.MinimumAucLift, options.Alpha);
        }

        return new ArmDifference(conversion, revenue, auc, sampleSize);
    }
}
