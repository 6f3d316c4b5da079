namespace LeadScoring.Core.Statistics;

/// <summary>
/// The Pelz–Good (1976) expansion of P(Dₙ ≤ x) ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^{3/2}, z = x√n, with the
/// Li-Chien/Korolyuk terms transformed through Jacobi theta identities so the series converge for small z.
/// </summary>
internal static class PelzGood
{
    private const double MinLog = -708;
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double PiSquared = Math.PI * Math.PI;
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);

    public static double Cumulative(int n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        var qlog = -PiSquared / 8 / z2;
        if (qlog < MinLog)
        {
            return 0.0;
        }

        var q = Math.Exp(qlog);
        var k1a = -z2;
        var k1b = PiSquared / 4;
        var k2a = (6 * z6) + (2 * z4);
        var k2b = ((2 * z4) - (5 * z2)) * PiSquared / 4;
        var k2c = PiFour * (1 - (2 * z2)) / 16;
        var k3d = PiSix * (5 - (30 * z2)) / 64;
        var k3c = PiFour * ((-60 * z2) + (212 * z4)) / 16;
        var k3b = PiSquared * ((135 * z4) - (96 * z6)) / 4;
        var k3a = (-30 * z6) - (90 * Math.Pow(z, 8));

        // Horner scheme over odd m = 2k − 1 of c_m q^{m²}.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            var m = (2.0 * k) - 1;
            double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qPower = Math.Pow(q, 8 * k);
            s0 = (s0 * qPower) + 1.0;
            s1 = (s1 * qPower) + k1a + (k1b * m2);
            s2 = (s2 * qPower) + k2a + (k2b * m2) + (k2c * m4);
            s3 = (s3 * qPower) + k3a + (k3b * m2) + (k3c * m4) + (k3d * m6);
        }

        var scale = q * Sqrt2Pi;
        var k0 = s0 * scale / z;
        var kk1 = s1 * scale / (6 * z4);
        var kk2 = s2 * scale / (72 * Math.Pow(z, 7));
        var kk3 = s3 * scale / (6480 * Math.Pow(z, 10));

        // The remaining sums run over all integers k: K₂ gets π²k² q^{k²}, K₃ gets (3z² − π²k²)·k² q^{k²}.
        var qAll = Math.Exp(-PiSquared / 2 / z2);
        var sqrt3z = Math.Sqrt(3) * z;
        double k2Extra = 0, k3Extra = 0;
        for (var k = maxK; k > 0; k--)
        {
            double ks = k * k;
            var qPower = Math.Pow(qAll, ks);
            k2Extra += ks * qPower;
            var kPi = Math.PI * k;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * ks * qPower;
        }

        kk2 += k2Extra * PiSquared * Sqrt2Pi / (-36 * z3);
        kk3 += k3Extra * PiSquared * Sqrt2Pi / (216 * z6);
        var sqrtN = Math.Sqrt(n);
        return k0 + (kk1 / sqrtN) + (kk2 / n) + (kk3 / (n * sqrtN));
    }
}
