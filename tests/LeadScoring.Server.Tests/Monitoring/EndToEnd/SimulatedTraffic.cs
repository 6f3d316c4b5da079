using System.Net;
using System.Text;
using System.Text.Json;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Simulation;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Server.Tests.Monitoring.EndToEnd;

/// <summary>
/// Simulator traffic through the real service: each hour's leads are scored over HTTP with the fake clock twenty minutes
/// into that hour, and the CRM's outcomes are posted over HTTP once they have happened (a converted lead converts one
/// to seven days after it arrived, a lost one is closed seven to fourteen days after), so the prediction log and the
/// outcome store fill as they do in production.
/// </summary>
internal sealed class SimulatedTraffic
{
    private readonly LeadTable _table;
    private readonly string[] _ids;
    private readonly DateTimeOffset[] _occurredAt;
    private readonly bool[] _posted;
    private readonly ILookup<DateTimeOffset, int> _byHour;

    /// <summary>Leads of <paramref name="scenario"/> arriving over <paramref name="days"/> days from <paramref name="start"/>, ids prefixed by <paramref name="prefix"/>.</summary>
    public SimulatedTraffic(Scenario scenario, int rows, int seed, DateTimeOffset start, int days, string prefix)
    {
        _table = LeadSimulator.Generate(new SimulationOptions(rows, seed, scenario, start, days)).Table;
        _ids = Enumerable.Range(0, rows).Select(i => $"{prefix}-{i:D6}").ToArray();
        var random = new Random(seed);
        _occurredAt = Enumerable.Range(0, rows).Select(i => _table.Timestamps![i] + (_table.Labels![i]
            ? TimeSpan.FromHours(24 + (random.NextDouble() * 6 * 24))
            : TimeSpan.FromHours((7 * 24) + (random.NextDouble() * 7 * 24)))).ToArray();
        _posted = new bool[rows];
        _byHour = Enumerable.Range(0, rows).ToLookup(i => HourOf(_table.Timestamps![i]));
    }

    /// <summary>The hours leads arrive in, in order.</summary>
    public IReadOnlyList<DateTimeOffset> Hours => [.. _byHour.Select(g => g.Key).Order()];

    /// <summary>The start of the hour <paramref name="time"/> falls in.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time) => new(time.Year, time.Month, time.Day, time.Hour, 0, 0, TimeSpan.Zero);

    /// <summary>Sets the clock twenty minutes into <paramref name="hour"/> and scores that hour's leads; returns how many.</summary>
    public async Task<int> ScoreHourAsync(RunningService service, FakeTimeProvider clock, DateTimeOffset hour)
    {
        clock.SetUtcNow(hour.AddMinutes(20));
        var rows = _byHour[hour].ToList();
        foreach (var chunk in rows.Chunk(1000))
        {
            var body = new StringBuilder("[");
            foreach (var i in chunk)
            {
                body.Append(body.Length > 1 ? "," : "").Append($$"""{"lead_id":"{{_ids[i]}}","features":{{Features(i)}}}""");
            }

            var (status, answer, _) = await Json.PostAsync(service.Client, "/score-leads", body.Append(']').ToString());
            Assert.True(status == HttpStatusCode.OK, $"score-leads: {(int)status} {answer}");
        }

        return rows.Count;
    }

    /// <summary>Posts every outcome that has happened by the clock's now and was not posted yet; returns how many.</summary>
    public async Task<int> SendOutcomesAsync(RunningService service, FakeTimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var due = Enumerable.Range(0, _ids.Length).Where(i => !_posted[i] && _occurredAt[i] <= now).ToList();
        foreach (var chunk in due.Chunk(1000))
        {
            var body = JsonSerializer.Serialize(chunk.Select(i => new
            {
                lead_id = _ids[i],
                converted = _table.Labels![i],
                revenue = _table.Labels[i] ? (double?)_table.Revenue![i] : null,
                occurred_at = _occurredAt[i],
            }));
            var (status, answer, _) = await Json.PostAsync(service.Admin, "/outcomes", body);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"outcomes: {(int)status} {answer}");
            foreach (var i in chunk)
            {
                _posted[i] = true;
            }
        }

        return due.Count;
    }

    private string Features(int row)
    {
        var features = _table.FeaturesOf(row);
        return LeadFeaturesJson.Write(features, _table.Schema);
    }
}
