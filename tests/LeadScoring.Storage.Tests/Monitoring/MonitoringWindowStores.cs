using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The window reader under test with the stores that write what it reads (and the feedback reader it must agree with), on one database.</summary>
public sealed class MonitoringWindowStores : IAsyncDisposable
{
    internal MonitoringWindowStores(SqlDatabase database)
    {
        Monitoring = new MonitoringStore(database);
        Log = new PredictionLog(database);
        Outcomes = new OutcomeStore(database);
        Feedback = new FeedbackReader(database);
    }

    public MonitoringStore Monitoring { get; }

    public MonitoringWindowReader Windows => Monitoring.Windows;

    public PredictionLog Log { get; }

    public OutcomeStore Outcomes { get; }

    public FeedbackReader Feedback { get; }

    public async ValueTask DisposeAsync()
    {
        await Monitoring.DisposeAsync();
        await Log.DisposeAsync();
        await Outcomes.DisposeAsync();
        await Feedback.DisposeAsync();
    }
}
