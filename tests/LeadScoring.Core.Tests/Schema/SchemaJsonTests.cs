using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Tests.Schema;

public sealed class SchemaJsonTests
{
    private const string IssueExample = """
        {
          "name": "x-education",
          "id": "Prospect ID",
          "label": "Converted",
          "positive": ["1", "yes", "true"],
          "timestamp": null,
          "features": [
            { "name": "TotalVisits", "type": "numeric" },
            { "name": "Lead Source", "type": "categorical" },
            { "name": "Do Not Email", "type": "boolean" }
          ],
          "exclude": [ { "name": "Tags", "reason": "filled in by sales after contact: leaks the label" } ],
          "owner": "sales-ops"
        }
        """;

    [Fact]
    public void The_documented_example_is_accepted_with_extra_keys()
    {
        var schema = SchemaJson.Parse(IssueExample);

        Assert.Equal("x-education", schema.Name);
        Assert.Equal("Prospect ID", schema.Id);
        Assert.Equal("Converted", schema.Label);
        Assert.Null(schema.Timestamp);
        Assert.Null(schema.Delimiter);
        Assert.Equal(
            [new FeatureSpec("TotalVisits", FeatureType.Numeric), new FeatureSpec("Lead Source", FeatureType.Categorical), new FeatureSpec("Do Not Email", FeatureType.Boolean)],
            schema.Features);
        Assert.Equal("Tags", Assert.Single(schema.Exclude).Name);
    }

    [Theory]
    [InlineData("YES", true)]
    [InlineData(" 1 ", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    public void Positive_label_values_are_matched_case_insensitively(string raw, bool expected)
    {
        var schema = SchemaJson.Parse(IssueExample);

        Assert.Equal(expected, schema.IsPositive(raw));
    }

    [Fact]
    public void Select_and_empty_strings_are_missing_by_default()
    {
        var schema = SchemaJson.Parse(IssueExample);

        Assert.True(schema.IsMissing(""));
        Assert.True(schema.IsMissing("  select "));
        Assert.True(schema.IsMissing((string?)null));
        Assert.False(schema.IsMissing("Google"));
    }

    [Fact]
    public void A_written_schema_reads_back_the_same()
    {
        var schema = SchemaJson.Parse(IssueExample.Replace("\"timestamp\": null", "\"timestamp\": \"created\", \"delimiter\": \"tab\"", StringComparison.Ordinal));

        var again = SchemaJson.Parse(SchemaJson.ToJson(schema));

        Assert.Equal(SchemaJson.ToJson(schema), SchemaJson.ToJson(again));
        Assert.Equal('\t', again.Delimiter);
        Assert.Equal("created", again.Timestamp);
    }

    [Theory]
    [InlineData("""{"label": "y", "features": [{"name": "a", "type": "numeric"}]}""", "'name' is required")]
    [InlineData("""{"name": "n", "features": [{"name": "a", "type": "numeric"}]}""", "'label' is required")]
    [InlineData("""{"name": "n", "label": "y", "features": []}""", "'features' must list at least one feature")]
    [InlineData("""{"name": "n", "label": "y", "features": [{"name": "a", "type": "text"}]}""", "features[0].type is 'text'")]
    [InlineData("""{"name": "n", "label": "y", "features": [{"name": "a", "type": "numeric"}, {"name": "a", "type": "numeric"}]}""", "feature 'a' is listed twice")]
    [InlineData("""{"name": "n", "label": "a", "features": [{"name": "a", "type": "numeric"}]}""", "column 'a' is the label")]
    [InlineData("""{"name": "n", "label": "y", "delimiter": "#", "features": [{"name": "a", "type": "numeric"}]}""", "'delimiter' is '#'")]
    [InlineData("""{"name": "n", "label": "y", "features": [{"name": "a", "type": "numeric"}], "exclude": [{"name": "a", "reason": "r"}]}""", "both a feature and excluded")]
    [InlineData("""{"name": "n", "label": "y", "positive": [], "features": [{"name": "a", "type": "numeric"}]}""", "'positive' must list at least one")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{"name": """, "not valid JSON")]
    public void An_invalid_schema_is_rejected_with_a_message_naming_the_key(string json, string expected)
    {
        var error = Assert.Throws<SchemaException>(() => SchemaJson.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
