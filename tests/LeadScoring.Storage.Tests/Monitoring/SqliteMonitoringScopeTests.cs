using LeadScoring.Storage.Tests.Support;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The scope reader's contract on SQLite.</summary>
public sealed class SqliteMonitoringScopeTests : MonitoringScopeContract
{
    protected override TestDatabase CreateTestDatabase() => new SqliteTestDatabase();
}
