using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Tests.Feedback;

/// <summary>The reader under test with the two stores that write what it reads, all on one database (as components share one).</summary>
public sealed class FeedbackStores : IAsyncDisposable
{
    internal FeedbackStores(SqlDatabase database)
    {
        Reader = new FeedbackReader(database);
        Log = new PredictionLog(database);
        Outcomes = new OutcomeStore(database);
    }

    public FeedbackReader Reader { get; }

    public PredictionLog Log { get; }

    public OutcomeStore Outcomes { get; }

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        await Log.DisposeAsync();
        await Outcomes.DisposeAsync();
    }
}
