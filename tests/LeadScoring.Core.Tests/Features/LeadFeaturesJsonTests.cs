using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Tests.Features;

public sealed class LeadFeaturesJsonTests
{
    private static readonly LeadSchema Schema = SchemaJson.Parse("""
        {"name": "t", "label": "y", "features": [
          {"name": "visits", "type": "numeric"},
          {"name": "source", "type": "categorical"},
          {"name": "opted_out", "type": "boolean"},
          {"name": "time_on_site", "type": "numeric"}
        ]}
        """);

    [Fact]
    public void Features_are_written_in_schema_order_with_nulls_for_missing_values()
    {
        var lead = new LeadFeatures(4);
        lead.Numbers[0] = 4;
        lead.Categories[1] = "Référral \"quoted\"";
        lead.Numbers[2] = 1;

        Assert.Equal("""{"visits":4,"source":"R\u00E9f\u00E9rral \u0022quoted\u0022","opted_out":true,"time_on_site":null}""", LeadFeaturesJson.Write(lead, Schema));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1e-300)]
    [InlineData(123456789.123456789)]
    [InlineData(-0.0)]
    [InlineData(double.MaxValue)]
    public void Reading_what_was_written_gives_back_the_exact_same_values(double visits)
    {
        var lead = new LeadFeatures(4);
        lead.Numbers[0] = visits;
        lead.Numbers[2] = 0;
        lead.Numbers[3] = 620.5;
        lead.Categories[1] = "web form";

        var back = LeadFeaturesJson.Read(LeadFeaturesJson.Write(lead, Schema), Schema);

        Assert.Equal(BitConverter.DoubleToInt64Bits(visits), BitConverter.DoubleToInt64Bits(back.Numbers[0]));
        Assert.Equal("web form", back.Categories[1]);
        Assert.Equal(0, back.Numbers[2]);
        Assert.Equal(620.5, back.Numbers[3]);
    }

    [Fact]
    public void Missing_values_read_back_as_missing()
    {
        var back = LeadFeaturesJson.Read(LeadFeaturesJson.Write(new LeadFeatures(4), Schema), Schema);

        Assert.All(back.Numbers, n => Assert.True(double.IsNaN(n)));
        Assert.All(back.Categories, Assert.Null);
    }

    [Theory]
    [InlineData("""{"visits":"four"}""", "visits")]
    [InlineData("""{"opted_out":1}""", "opted_out")]
    [InlineData("""{"unknown":1}""", "unknown")]
    public void A_value_that_does_not_fit_the_schema_is_refused_by_name(string json, string feature)
    {
        var error = Assert.Throws<FormatException>(() => LeadFeaturesJson.Read(json, Schema));

        Assert.Contains($"'{feature}'", error.Message, StringComparison.Ordinal);
    }
}
