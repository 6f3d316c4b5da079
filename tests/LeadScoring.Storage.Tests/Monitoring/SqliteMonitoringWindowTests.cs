using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The window reader's contract on SQLite (its own-API scan), plus its time parsing.</summary>
public sealed class SqliteMonitoringWindowTests : MonitoringWindowContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();

    [Fact]
    public void Stored_times_parse_to_ticks_and_anything_else_is_refused()
    {
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 15, 30, TimeSpan.Zero).AddTicks(1_234_560).UtcTicks, SqliteWindowScan.ParseTicks("2025-03-01T10:15:30.123456Z"u8));
        Assert.Throws<FormatException>(() => SqliteWindowScan.ParseTicks("2025-03-01T10:15:30Z"u8));
        Assert.Throws<FormatException>(() => SqliteWindowScan.ParseTicks("2025-03-01T10:1x:30.123456Z"u8));
    }
}
