namespace LeadScoring.Core.Tests.Support;

/// <summary>The reference README's agreement rules.</summary>
internal static class Tolerance
{
    /// <summary>Statistics and metrics: 1e-9 relative.</summary>
    public static void Statistic(double expected, double actual, string what = "value") => Relative(expected, actual, 1e-9, 1e-15, what);

    /// <summary>P-values: 1e-6 relative, or 1e-12 absolute when the expected p-value is below 1e-12.</summary>
    public static void PValue(double expected, double actual, string what = "p-value") => Relative(expected, actual, 1e-6, 1e-12, what);

    public static void Relative(double expected, double actual, double relative, double absoluteFloor, string what = "value")
    {
        var error = Math.Abs(expected - actual);
        var ok = error <= relative * Math.Abs(expected) || error <= absoluteFloor;
        Assert.True(ok, $"{what}: expected {expected:R}, got {actual:R} (error {error:E2}, allowed {relative:E0} relative or {absoluteFloor:E0} absolute)");
    }
}
