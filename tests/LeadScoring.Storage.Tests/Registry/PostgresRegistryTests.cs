using System.Net;
using System.Net.Sockets;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Npgsql;

namespace LeadScoring.Storage.Tests.Registry;

/// <summary>The registry contract on PostgreSQL (a fresh database per test), plus what only PostgreSQL has.</summary>
[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresRegistryTests(PostgresTestCluster cluster) : RegistryContract
{
    private string ConnectionString => ((PostgresTestDatabase)Database).ConnectionString;

    protected override TestDatabase CreateTestDatabase() => new PostgresTestDatabase(cluster);

    [Fact]
    public async Task Ping_is_false_for_an_unreachable_server()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var registry = new ModelRegistry(new SqlDatabase(new PostgresDialect($"Host=127.0.0.1;Port={closedPort};Username=nobody;Timeout=3")));

        Assert.False(await registry.PingAsync());
    }

    [Fact]
    public async Task The_factory_picks_PostgreSQL_when_a_connection_string_is_set()
    {
        var options = new StorageOptions { PostgresConnectionString = ConnectionString };
        Assert.True(options.UsesPostgres);

        await using var registry = ModelRegistryFactory.Create(options);

        Assert.IsType<PostgresDialect>(registry.Database.Dialect);
        Assert.Equal("postgres", registry.Provider);
        Assert.True(await registry.PingAsync());
        Assert.Equal(1, (await registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"))).Version);
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_production_version()
    {
        await Registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice"));
        await Registry.RegisterAsync(new NewModelVersion("churn", [2], "{}", "alice"));
        await Registry.TransitionAsync("churn", 1, ModelStage.Production, "alice", null);

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE model_versions SET stage = 'Production' WHERE version = 2", connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
    }

    [Fact]
    public async Task Packages_are_stored_as_bytea_and_times_as_timestamptz()
    {
        await Registry.RegisterAsync(new NewModelVersion("churn", [1, 2], "{}", "alice"));

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_typeof(package)::text || ' ' || pg_typeof(created_at)::text FROM model_versions", connection);
        Assert.Equal("bytea timestamp with time zone", await command.ExecuteScalarAsync());
    }
}
