using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Storage.Tests.Outcomes;

/// <summary>The occurred-at rules POST /outcomes and the file import share.</summary>
public sealed class OutcomeTimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-03-01T09:30:00Z", "2026-03-01T09:30:00.0000000+00:00")]
    [InlineData(" 2026-03-01T09:30:00z ", "2026-03-01T09:30:00.0000000+00:00")]
    [InlineData("2026-03-01T09:30Z", "2026-03-01T09:30:00.0000000+00:00")]
    [InlineData("2026-03-01 09:30:00Z", "2026-03-01T09:30:00.0000000+00:00")]
    [InlineData("2026-03-01T09:30:00.1234567Z", "2026-03-01T09:30:00.1234567+00:00")]
    [InlineData("2026-03-01T09:30:00.5+01:00", "2026-03-01T09:30:00.5000000+01:00")]
    [InlineData("2026-03-01T09:30:00-05:30", "2026-03-01T09:30:00.0000000-05:30")]
    public void An_ISO_8601_time_with_an_offset_parses_to_its_instant(string text, string expected)
    {
        Assert.True(OutcomeTimes.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(expected, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-03-01T09:30:00", "must have a UTC offset (Z or ±hh:mm), e.g. 2026-03-01T09:30:00Z; got '2026-03-01T09:30:00'")]
    [InlineData("2026-03-01", "must have a UTC offset (Z or ±hh:mm), e.g. 2026-03-01T09:30:00Z; got '2026-03-01'")]
    [InlineData("yesterday", "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got 'yesterday'")]
    [InlineData("2026-02-30T09:30:00Z", "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got '2026-02-30T09:30:00Z'")]
    [InlineData("2026-03-01T25:00:00Z", "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got '2026-03-01T25:00:00Z'")]
    [InlineData("  ", "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:30:00Z; got an empty string")]
    public void Anything_else_is_refused_saying_why(string text, string expected)
    {
        Assert.False(OutcomeTimes.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void A_time_may_be_ahead_of_now_by_the_clock_skew_at_most()
    {
        var skew = TimeSpan.FromMinutes(5);

        Assert.Null(OutcomeTimes.Problem(Now.AddYears(-3), Now, skew));
        Assert.Null(OutcomeTimes.Problem(Now + skew, Now, skew));
        Assert.Equal(
            "must not be in the future: 2026-03-01T12:05:01Z is after now (2026-03-01T12:00:00Z) plus the allowed clock skew of 00:05:00",
            OutcomeTimes.Problem(Now + skew + TimeSpan.FromSeconds(1), Now, skew));
        Assert.NotNull(OutcomeTimes.Problem(Now.AddTicks(1), Now, TimeSpan.Zero));
    }

    [Fact]
    public void Problems_lists_every_broken_rule_of_an_outcome()
    {
        Assert.Empty(OutcomeValidation.Problems(new OutcomeRecord("crm-1", true, 0, Now)));
        Assert.Equal(
            [("lead_id", "must be a non-empty string"), ("revenue", "must be null when the lead did not convert")],
            OutcomeValidation.Problems(new OutcomeRecord(" ", false, 10, Now)));
        Assert.Equal(
            [("lead_id", "must be at most 200 characters"), ("revenue", "must not be negative")],
            OutcomeValidation.Problems(new OutcomeRecord(new string('x', 201), true, -1, Now)));
    }
}
