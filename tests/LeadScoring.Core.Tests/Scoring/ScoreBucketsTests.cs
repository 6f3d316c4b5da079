using LeadScoring.Core.Scoring;

namespace LeadScoring.Core.Tests.Scoring;

public sealed class ScoreBucketsTests
{
    [Theory]
    [InlineData(0.95, "hot")]
    [InlineData(0.7, "hot")]
    [InlineData(0.69999, "warm")]
    [InlineData(0.4, "warm")]
    [InlineData(0.1, "cold")]
    [InlineData(0, "cold")]
    public void Scores_fall_in_the_band_whose_cut_off_they_reach(double score, string band) =>
        Assert.Equal(band, ScoreBuckets.Default.Of(score));

    [Fact]
    public void Bands_parse_from_text_and_print_back()
    {
        var buckets = ScoreBuckets.Parse("a:0.9, b:0.5 ,c:0");

        Assert.Equal("b", buckets.Of(0.6));
        Assert.Equal("a:0.9,b:0.5,c:0", buckets.ToString());
    }

    [Theory]
    [InlineData("hot:0.7,warm:0.4", "lowest score bucket must start at 0")]
    [InlineData("hot:1.5,cold:0", "cut-off in [0, 1]")]
    [InlineData("hot:0.5,hot:0", "must be distinct")]
    [InlineData("hot=0.5", "is not name:cut-off")]
    public void Invalid_bands_are_rejected_with_a_reason(string text, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ScoreBuckets.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
