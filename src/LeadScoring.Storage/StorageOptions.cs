namespace LeadScoring.Storage;

/// <summary>Where durable state lives; bound by the host from the configuration section <see cref="SectionName"/>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>File name of the SQLite database inside <see cref="DataDirectory"/>.</summary>
    public const string SqliteFileName = "leadscoring.db";

    /// <summary>Folder for the SQLite database (and other local state); relative paths are taken from the current directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>An Npgsql connection string; when set the registry lives in PostgreSQL, otherwise in SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>True when <see cref="PostgresConnectionString"/> is set.</summary>
    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Full path of the SQLite database file: <c>&lt;DataDirectory&gt;/leadscoring.db</c>.</summary>
    public string SqliteDatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, SqliteFileName));
}
