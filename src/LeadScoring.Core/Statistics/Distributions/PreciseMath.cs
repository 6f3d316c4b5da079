namespace LeadScoring.Core.Statistics;

/// <summary>log(1 + x) and eˣ − 1 accurate for small x (.NET's double.LogP1/ExpM1 compute them naively).</summary>
internal static class PreciseMath
{
    /// <summary>log(1 + x) by Goldberg's correction: exact-ish even when 1 + x rounds.</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1 by Kahan's correction.</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }
}
