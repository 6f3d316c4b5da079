using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Features;

public sealed class FeatureEncoderTests
{
    private static readonly LeadSchema Schema = SchemaJson.Parse("""
        {"name": "t", "label": "y", "features": [
          {"name": "visits", "type": "numeric"},
          {"name": "source", "type": "categorical"},
          {"name": "opted_out", "type": "boolean"}
        ]}
        """);

    private static FeatureEncoder Encoder() => new(Schema, new Dictionary<string, IReadOnlyList<string>> { ["source"] = ["Google", "Referral"] });

    [Fact]
    public void The_vector_has_numbers_first_then_a_one_hot_block_per_category()
    {
        var encoder = Encoder();

        Assert.Equal(["visits", "opted_out", "source=Google", "source=Referral", "source=(missing)", "source=(other)"], encoder.SlotNames);
        Assert.Equal(6, encoder.Width);
    }

    [Theory]
    [InlineData("google", 2)]
    [InlineData(" REFERRAL ", 3)]
    [InlineData(null, 4)]
    [InlineData("Carrier pigeon", 5)]
    public void Categories_match_case_insensitively_and_unknown_ones_go_to_other(string? source, int hotSlot)
    {
        var lead = new LeadFeatures(3);
        lead.Numbers[0] = 4;
        lead.Numbers[2] = 1;
        lead.Categories[1] = source;
        var vector = new float[6];

        Encoder().Encode(lead, vector);

        Assert.Equal(4, vector[0]);
        Assert.Equal(1, vector[1]);
        Assert.Equal(1, vector[hotSlot]);
        Assert.Equal(1, vector[2..].Sum());
    }

    [Fact]
    public void Missing_numbers_stay_missing_for_the_learner()
    {
        var vector = new float[6];

        Encoder().Encode(new LeadFeatures(3), vector);

        Assert.True(float.IsNaN(vector[0]));
        Assert.True(float.IsNaN(vector[1]));
    }

    [Fact]
    public void The_vocabulary_keeps_categories_seen_often_enough_most_frequent_first()
    {
        var rows = Enumerable.Repeat(new[] { "1", "Google", "no", "1" }, 6)
            .Concat(Enumerable.Repeat(new[] { "1", "Referral", "no", "0" }, 8))
            .Concat([["1", "Fax", "no", "0"], ["1", "google", "no", "1"]]);
        var table = Rows.Table(Schema, ["visits", "source", "opted_out", "y"], rows);

        var vocabulary = FeatureEncoder.LearnVocabulary(table, minCount: 5);

        Assert.Equal(["Referral", "Google"], vocabulary["source"]);
    }

    [Fact]
    public void A_table_row_and_the_same_lead_encode_identically()
    {
        var table = Rows.Table(Schema, ["visits", "source", "opted_out", "y"], [["7", "referral", "yes", "1"], ["", "", "", "0"]]);
        var lead = new LeadFeatures(3);
        lead.Numbers[0] = 7;
        lead.Numbers[2] = 1;
        lead.Categories[1] = "Referral";
        var fromTable = new float[6];
        var fromLead = new float[6];

        Encoder().Encode(table, 0, fromTable);
        Encoder().Encode(lead, fromLead);

        Assert.Equal(fromLead, fromTable);
    }
}
