using System.Globalization;

namespace LeadScoring.Storage.Sql;

/// <summary>One numbered migration step: SQL statements, or C# (a backfill) run in the migration's transaction.</summary>
internal sealed class MigrationStep
{
    private readonly Func<SqlSession, CancellationToken, Task> _apply;

    private MigrationStep(Func<SqlSession, CancellationToken, Task> apply) => _apply = apply;

    /// <summary>Statements run in order.</summary>
    public static MigrationStep Sql(params IReadOnlyList<string> statements) => new(async (session, ct) =>
    {
        foreach (var statement in statements)
        {
            await session.ExecuteAsync(statement, [], ct).ConfigureAwait(false);
        }
    });

    /// <summary>Code, for what SQL cannot do portably (e.g. backfilling a column from a stored zip).</summary>
    public static MigrationStep Code(Func<SqlSession, CancellationToken, Task> apply) => new(apply);

    /// <summary>Statements first, then code.</summary>
    public static MigrationStep SqlThenCode(IReadOnlyList<string> statements, Func<SqlSession, CancellationToken, Task> apply)
    {
        var sql = Sql(statements);
        return new(async (session, ct) =>
        {
            await sql.ApplyAsync(session, ct).ConfigureAwait(false);
            await apply(session, ct).ConfigureAwait(false);
        });
    }

    public Task ApplyAsync(SqlSession session, CancellationToken cancellationToken) => _apply(session, cancellationToken);
}

/// <summary>
/// Brings one component's tables (the registry, later the prediction log, outcomes, …) to the newest schema this
/// build knows. Each component has its own numbered steps (index 0 is version 1) and its own rows in the shared
/// <c>schema_versions (component, version, applied_at)</c> table, so components evolve independently in one
/// database. All pending steps run in one write transaction under a lock per component (SQLite: the write lock of
/// <c>BEGIN IMMEDIATE</c>; PostgreSQL: an advisory lock), so several processes may start together. A database
/// newer than the build is refused. Never edit a released step: add one.
/// </summary>
internal sealed class SchemaMigrator : IDisposable
{
    private const string SchemaVersionsLock = "schema_versions";

    private readonly SqlDatabase _database;
    private readonly SemaphoreSlim _once = new(1, 1);
    private volatile bool _done;

    public SchemaMigrator(SqlDatabase database, string component, IReadOnlyList<MigrationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(steps);
        _database = database;
        Component = component;
        Steps = steps;
    }

    /// <summary>The component's name in <c>schema_versions</c>.</summary>
    public string Component { get; }

    public IReadOnlyList<MigrationStep> Steps { get; }

    /// <summary>The newest version this build knows.</summary>
    public int LatestVersion => Steps.Count;

    /// <summary>Migrates on the first call (from any thread); later calls return at once.</summary>
    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_database.IsDisposed, _database);
        if (_done)
        {
            return;
        }

        await _once.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>The component's version in the database (0 before its first step, or before any schema exists).</summary>
    public Task<int> GetVersionAsync(CancellationToken cancellationToken) =>
        _database.WithConnectionAsync(
            async (session, ct) =>
            {
                await CreateSchemaVersionsAsync(session, ct).ConfigureAwait(false);
                return await CurrentVersionAsync(session, ct).ConfigureAwait(false);
            },
            cancellationToken);

    public void Dispose() => _once.Dispose();

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _database.WithConnectionAsync(
            async (session, ct) =>
            {
                await _database.Dialect.PrepareDatabaseAsync(session, ct).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);

        // Its own transaction under its own lock: components migrating concurrently all create this table, and
        // PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent create.
        await _database.WriteAsync(
            async (session, ct) =>
            {
                await _database.Dialect.LockForMigrationAsync(session, SchemaVersionsLock, ct).ConfigureAwait(false);
                await CreateSchemaVersionsAsync(session, ct).ConfigureAwait(false);
                return 0;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);

        await _database.WriteAsync(
            async (session, ct) =>
            {
                await _database.Dialect.LockForMigrationAsync(session, Component, ct).ConfigureAwait(false);
                var current = await CurrentVersionAsync(session, ct).ConfigureAwait(false);
                if (current > Steps.Count)
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The {Component} schema in {_database.Dialect.Description} is version {current}, newer than this build knows ({Steps.Count}); upgrade the application."));
                }

                for (var version = current + 1; version <= Steps.Count; version++)
                {
                    await Steps[version - 1].ApplyAsync(session, ct).ConfigureAwait(false);
                    await session.ExecuteAsync(
                        "INSERT INTO schema_versions (component, version, applied_at) VALUES (@component, @version, @now)",
                        [SqlArg.Text("@component", Component), SqlArg.Int("@version", version), _database.Dialect.TimeArg("@now", _database.Now())],
                        ct).ConfigureAwait(false);
                }

                return 0;
            },
            onUniqueViolation: null,
            cancellationToken).ConfigureAwait(false);
    }

    private Task<int> CreateSchemaVersionsAsync(SqlSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            _database.Dialect.Types.Fill(
                """
                CREATE TABLE IF NOT EXISTS schema_versions (
                    component TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    applied_at {Time} NOT NULL,
                    PRIMARY KEY (component, version))
                """),
            [],
            cancellationToken);

    private async Task<int> CurrentVersionAsync(SqlSession session, CancellationToken cancellationToken) =>
        await session.ScalarInt32Async(
            "SELECT MAX(version) FROM schema_versions WHERE component = @component",
            [SqlArg.Text("@component", Component)],
            cancellationToken).ConfigureAwait(false) ?? 0;
}
