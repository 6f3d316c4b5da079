using System.Globalization;
using LeadScoring.Core.Deployments;

namespace LeadScoring.Core.Tests.Deployments;

public sealed class StickyAssignmentTests
{
    private const string Salt = "5f0c1e2d3b4a69788796a5b4c3d2e1f0";
    private static readonly string[] Leads = Enumerable.Range(0, 10_000).Select(i => $"crm-{i:D6}").ToArray();

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.10)]
    [InlineData(0.25)]
    [InlineData(0.50)]
    [InlineData(0.90)]
    public void The_observed_split_of_10000_leads_is_within_one_point_of_the_share(double share)
    {
        var challengers = Leads.Count(lead => StickyAssignment.IsChallenger(Salt, lead, share));

        Assert.InRange(challengers / (double)Leads.Length, share - 0.01, share + 0.01);
    }

    [Fact]
    public void A_lead_always_gets_the_same_position_in_zero_to_one()
    {
        foreach (var lead in Leads.Take(1000))
        {
            var position = StickyAssignment.Position(Salt, lead);

            Assert.InRange(position, 0, 0.9999999999999999);
            Assert.Equal(position, StickyAssignment.Position(Salt, new string(lead.AsSpan())));
        }
    }

    [Fact]
    public void The_position_is_the_first_eight_bytes_of_the_salted_sha256_over_two_to_the_64()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("salt:lead-1"));
        var expected = (double)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) / Math.Pow(2, 64);

        Assert.Equal(expected, StickyAssignment.Position("salt", "lead-1"), 1e-15);
    }

    [Fact]
    public void Raising_the_share_from_10_to_50_percent_keeps_every_challenger_and_moves_no_lead_back()
    {
        var atTen = Leads.Where(lead => StickyAssignment.IsChallenger(Salt, lead, 0.10)).ToHashSet();
        var atFifty = Leads.Where(lead => StickyAssignment.IsChallenger(Salt, lead, 0.50)).ToHashSet();

        Assert.Subset(atFifty, atTen);
        Assert.True(atFifty.Count > 4 * atTen.Count, $"{atFifty.Count} challengers at 50 %, {atTen.Count} at 10 %");
    }

    [Fact]
    public void Different_salts_assign_independently()
    {
        // For independent 50 % splits the four combinations each hold a quarter of the leads.
        var cells = new int[4];
        foreach (var lead in Leads)
        {
            var a = StickyAssignment.IsChallenger("salt-a", lead, 0.5) ? 1 : 0;
            var b = StickyAssignment.IsChallenger("salt-b", lead, 0.5) ? 1 : 0;
            cells[(2 * a) + b]++;
        }

        Assert.All(cells, count => Assert.InRange(count / (double)Leads.Length, 0.24, 0.26));
        var correlation = Correlation(Leads.Select(l => StickyAssignment.Position("salt-a", l)).ToArray(), Leads.Select(l => StickyAssignment.Position("salt-b", l)).ToArray());
        Assert.InRange(correlation, -0.03, 0.03);
    }

    [Fact]
    public void Long_and_non_ascii_lead_ids_are_assigned_too()
    {
        var longId = new string('x', 5000);
        var accented = "Zoë-" + 17.ToString(CultureInfo.InvariantCulture);

        Assert.Equal(StickyAssignment.Position(Salt, longId), StickyAssignment.Position(Salt, longId));
        Assert.NotEqual(StickyAssignment.Position(Salt, accented), StickyAssignment.Position(Salt, "Zoe-17"));
    }

    [Fact]
    public void A_share_of_zero_assigns_nobody_and_one_assigns_everybody()
    {
        Assert.DoesNotContain(Leads, lead => StickyAssignment.IsChallenger(Salt, lead, 0));
        Assert.All(Leads, lead => Assert.True(StickyAssignment.IsChallenger(Salt, lead, 1)));
    }

    private static double Correlation(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
