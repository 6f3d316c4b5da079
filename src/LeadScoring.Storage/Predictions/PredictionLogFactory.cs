using LeadScoring.Storage.Sql;

namespace LeadScoring.Storage.Predictions;

/// <summary>How durable an acknowledged prediction is.</summary>
public sealed class PredictionLogOptions
{
    /// <summary>
    /// SQLite: false (default) commits with <c>synchronous=NORMAL</c> in WAL: a committed batch survives a process
    /// crash or <c>kill -9</c>, and the last batches before a power loss may be lost. True fsyncs every batch
    /// (<c>synchronous=FULL</c>): it survives power loss too, at the cost of one fsync per batch. PostgreSQL: the
    /// server decides (<c>synchronous_commit</c>, on by default: every commit is flushed), so this has no effect.
    /// </summary>
    public bool SyncEveryBatch { get; set; }
}

/// <summary>Opens the prediction log beside the registry: its own SQLite file, or its own tables in the same PostgreSQL database.</summary>
public static class PredictionLogFactory
{
    /// <summary>The log's SQLite file in <see cref="StorageOptions.DataDirectory"/>, beside the registry's.</summary>
    public const string SqliteFileName = "predictions.db";

    /// <summary>
    /// SQLite: the write-ahead log's size (4,000 pages, 16 MB) at which the committing writer checkpoints it itself
    /// and so starts it over. A server's checkpointer copies it into the file beside the writer every few
    /// milliseconds (<see cref="PredictionLog.CheckpointAsync"/>), so the writer's own checkpoint finds only the last
    /// pages left; at SQLite's default of 1,000 the writer paid that checkpoint's two fsyncs four times as often.
    /// </summary>
    public const int SqliteCheckpointPages = 4_000;

    /// <summary>Nothing is opened until first use; the caller owns the result and disposes it.</summary>
    public static PredictionLog Create(StorageOptions storage, PredictionLogOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var syncEveryBatch = options?.SyncEveryBatch ?? false;
        var dialect = storage.UsesPostgres
            ? ModelRegistryFactory.CreateDialect(storage, SqliteFileName)
            : new SqliteDialect(Path.Combine(storage.DataDirectory, SqliteFileName), syncEveryCommit: syncEveryBatch, checkpointPages: SqliteCheckpointPages);
        return new PredictionLog(new SqlDatabase(dialect, timeProvider));
    }
}
