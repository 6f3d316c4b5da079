using LeadScoring.Storage.Predictions;
using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Feedback;

/// <summary>Opens the predictions ⋈ outcomes reader on the database the prediction log and the outcomes share.</summary>
public static class FeedbackReaderFactory
{
    /// <summary>
    /// PostgreSQL when <see cref="StorageOptions.PostgresConnectionString"/> is set, otherwise SQLite at
    /// <c>&lt;DataDirectory&gt;/predictions.db</c>. Nothing is opened until first use. The caller owns the result: dispose it.
    /// </summary>
    public static FeedbackReader Create(StorageOptions options, TimeProvider? timeProvider = null) =>
        new(new SqlDatabase(ModelRegistryFactory.CreateDialect(options, PredictionLogFactory.SqliteFileName), timeProvider));
}
