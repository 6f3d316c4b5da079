using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Tests.Schema;

public sealed class NameSuggestionsTests
{
    private static readonly string[] SimulatedFeatures =
    [
        "lead_source", "lead_origin", "total_visits", "time_on_site_sec", "pages_per_visit", "last_activity",
        "occupation", "country", "company_size", "do_not_email", "requested_demo",
    ];

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("total_vists", "total_visits", 1)]
    [InlineData("Total_Visits", "total_visits", 0)]
    [InlineData("ab", "ba", 1)]
    [InlineData("countyr", "country", 1)]
    [InlineData("ca", "abc", 3)]
    [InlineData("flaw", "lawn", 2)]
    public void Distance_counts_edits_with_adjacent_swaps_as_one_and_ignores_case(string a, string b, int expected)
    {
        Assert.Equal(expected, NameSuggestions.Distance(a, b));
        Assert.Equal(expected, NameSuggestions.Distance(b, a));
    }

    [Theory]
    [InlineData("total_vists", "total_visits")]
    [InlineData("Total_Visits", "total_visits")]
    [InlineData("LEAD_SOURCE", "lead_source")]
    [InlineData("countyr", "country")]
    [InlineData("requestd_demo", "requested_demo")]
    [InlineData("time_on_site", "time_on_site_sec")]
    [InlineData("ocupation", "occupation")]
    public void A_likely_typo_suggests_the_feature(string typed, string suggested) =>
        Assert.Equal(suggested, NameSuggestions.Closest(typed, SimulatedFeatures));

    [Theory]
    [InlineData("favourite_colour")]
    [InlineData("visits")]
    [InlineData("x")]
    [InlineData("")]
    public void A_different_name_suggests_nothing(string typed) =>
        Assert.Null(NameSuggestions.Closest(typed, SimulatedFeatures));

    [Fact]
    public void The_closest_candidate_wins_and_the_first_on_a_tie()
    {
        Assert.Equal("abcd", NameSuggestions.Closest("abcx", ["abxy", "abcd", "abce"]));
        Assert.Equal("abcdef", NameSuggestions.Closest("abcdxf", ["abcdef", "abcdeg", "abcdxf-long"]));
    }

    [Fact]
    public void A_huge_name_is_answered_without_comparing_it_character_by_character()
    {
        var huge = new string('a', 1_000_000);

        Assert.Null(NameSuggestions.Closest(huge, SimulatedFeatures));
    }
}
