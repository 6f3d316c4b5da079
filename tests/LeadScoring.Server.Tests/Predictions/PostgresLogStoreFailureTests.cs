using System.Net;
using LeadScoring.Server.Tests.Support;
using Npgsql;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>The prediction log on PostgreSQL, and that database turned read-only under the running service.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresLogStoreFailureTests(PostgresTestCluster cluster)
{
    private static readonly TestPackages Packages = new();

    [Fact]
    public async Task Scores_are_committed_to_postgres_and_a_read_only_database_is_a_503_until_it_takes_writes_again()
    {
        var database = await cluster.CreateDatabaseAsync("predictions_fault");
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        try
        {
            await using var service = await RunningService.StartAsync(postgres: database);
            await service.DeployAsync(Packages.First);
            var (before, _, r0) = await LoggedPredictions.ScoreAsync(service.Client, "pg-0", "req-pg-0");

            await SetReadOnlyAsync(name!, true);
            var (status, problem, response) = await LoggedPredictions.ScoreAsync(service.Client, "pg-1", "req-pg-1");
            // The first batch may meet a connection the server just closed; the next meets the read-only database.
            if (!problem.GetProperty("detail").GetString()!.Contains("read-only", StringComparison.Ordinal))
            {
                response.Dispose();
                (status, problem, response) = await LoggedPredictions.ScoreAsync(service.Client, "pg-1", "req-pg-1b");
            }

            var unready = await LoggedPredictions.ReadinessAsync(service);
            await SetReadOnlyAsync(name!, false);
            var (after, _, r2) = await LoggedPredictions.ScoreAsync(service.Client, "pg-2", "req-pg-2");
            if (after != HttpStatusCode.OK)
            {
                r2.Dispose();
                (after, _, r2) = await LoggedPredictions.ScoreAsync(service.Client, "pg-2", "req-pg-2");
            }

            Assert.Equal(HttpStatusCode.OK, before);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.StartsWith("The prediction log cannot be written: the store is read-only", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal(("Unhealthy", "prediction log not writable: the store is read-only; queue 0 of 8192 records; no scores served unlogged"), unready);
            Assert.Equal(HttpStatusCode.OK, after);
            Assert.Equal(["req-pg-0", "req-pg-2"], (await LoggedPredictions.ReadAllAsync(service.Storage)).Select(p => p.Record.RequestId));
            foreach (var r in new[] { r0, response, r2 })
            {
                r.Dispose();
            }
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }

    // New sessions of the database start read-only (or not); the open ones are ended so none keeps the old setting.
    private async Task SetReadOnlyAsync(string database, bool readOnly)
    {
        await cluster.ExecuteAdminAsync($"ALTER DATABASE \"{database}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}");
        await cluster.ExecuteAdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()");
    }
}
