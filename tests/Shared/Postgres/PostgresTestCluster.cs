// A PostgreSQL server for tests, shared by the test classes of one collection. Needs xunit and Npgsql; test
// projects that use it link tests/Shared/Postgres/*.cs (see their project files) and mark their test classes
// [Collection(PostgresTestCluster.CollectionName)].
//
// Where the server comes from:
//   - LEADSCORING_TEST_POSTGRES (set by scripts/test): an Npgsql connection string to database 'postgres' as a
//     superuser. The cluster belongs to the script, which stops it.
//   - otherwise the fixture starts its own throwaway cluster with scripts/postgres-test-cluster (found by walking
//     up from the test assembly to the folder holding LeadScoring.slnx) and stops it when the collection ends.
// The tests are never skipped: if neither works, every test of the collection fails with the reason.
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit;

namespace LeadScoring.Tests.Shared;

/// <summary>A PostgreSQL cluster for the tests of one collection; hands out fresh databases.</summary>
public sealed class PostgresTestCluster : IAsyncLifetime
{
    /// <summary>The xunit collection whose classes share one cluster.</summary>
    public const string CollectionName = "PostgreSQL";

    /// <summary>Set by scripts/test to the connection string of a running cluster.</summary>
    public const string EnvironmentVariable = "LEADSCORING_TEST_POSTGRES";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    private string? _clusterDirectory;
    private string? _script;

    /// <summary>A superuser connection to database 'postgres'.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>Where the cluster came from, for messages.</summary>
    public string Origin { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            AdminConnectionString = fromEnvironment;
            Origin = $"${EnvironmentVariable}";
        }
        else
        {
            var root = RepositoryPaths.Root;
            _script = Path.Combine(root, "scripts", "postgres-test-cluster");
            _clusterDirectory = Path.Combine(Path.GetTempPath(), "leadscoring-test-pg-" + Guid.NewGuid().ToString("N"));
            var (exitCode, output, error) = await RunScriptAsync("start", _clusterDirectory);
            var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (exitCode != 0 || string.IsNullOrEmpty(connectionString))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL tests need a server and none could be started: 'scripts/postgres-test-cluster start' exited {exitCode}: {error.Trim()}\n" +
                    $"Install PostgreSQL 15 (scripts/setup-machine --test) or set {EnvironmentVariable} to a superuser connection string.");
            }

            AdminConnectionString = connectionString;
            Origin = "scripts/postgres-test-cluster";
        }

        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"PostgreSQL tests need a server, but the one from {Origin} does not answer: {ex.Message}", ex);
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Guid.NewGuid():N}").ToLowerInvariant();
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing any connection still open to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (string.IsNullOrEmpty(name) || name == "postgres")
        {
            return;
        }

        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_clusterDirectory is not null)
        {
            await RunScriptAsync("stop", _clusterDirectory);
        }
    }

    /// <summary>Runs one statement as the superuser on database 'postgres' (e.g. ALTER DATABASE).</summary>
    public async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(int ExitCode, string Output, string Error)> RunScriptAsync(string action, string directory)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_script!);
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(directory);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output.WaitAsync(timeout.Token), await error.WaitAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", $"timed out after {ScriptTimeout.TotalSeconds} s");
        }
    }
}

/// <summary>The classes marked [Collection(PostgresTestCluster.CollectionName)] share one cluster.</summary>
[CollectionDefinition(PostgresTestCluster.CollectionName)]
public sealed class PostgresTestClusterDefinition : ICollectionFixture<PostgresTestCluster>;
