using System.Net;
using System.Net.Sockets;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using Npgsql;

namespace LeadScoring.Storage.Tests.Sql;

/// <summary>PostgreSQL's faults that a test can cause for real (a server that is not there), and its error codes.</summary>
public sealed class PostgresFaultTests
{
    [Fact]
    public async Task An_unreachable_server_is_an_unreachable_fault_naming_the_database()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var registry = new ModelRegistry(new SqlDatabase(new PostgresDialect($"Host=127.0.0.1;Port={closedPort};Database=leads;Username=nobody;Timeout=3")));

        var check = await registry.CheckWritableAsync();
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice")));

        Assert.Equal(StoreFault.Unreachable, check.Fault);
        Assert.Equal(StoreFault.Unreachable, refused.Fault);
        Assert.StartsWith($"the PostgreSQL database leads on 127.0.0.1:{closedPort} cannot be reached", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<NpgsqlException>(refused.InnerException);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DiskFull, StoreFault.Full)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction, StoreFault.ReadOnly)]
    [InlineData(PostgresErrorCodes.DataCorrupted, StoreFault.Corrupt)]
    [InlineData(PostgresErrorCodes.AdminShutdown, StoreFault.Unreachable)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, StoreFault.Unreachable)]
    [InlineData(PostgresErrorCodes.UniqueViolation, null)]
    [InlineData(PostgresErrorCodes.SyntaxError, null)]
    [InlineData(PostgresErrorCodes.SerializationFailure, null)]
    public void Server_errors_are_classified_by_their_SQLSTATE(string sqlState, StoreFault? expected)
    {
        var exception = new PostgresException("the server says no", "ERROR", "ERROR", sqlState);

        Assert.Equal(expected, StoreFaults.Classify(exception));
    }

    [Fact]
    public void Npgsql_failures_without_a_server_error_are_unreachable()
    {
        Assert.Equal(StoreFault.Unreachable, StoreFaults.Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(StoreFault.Unreachable, StoreFaults.Classify(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
    }
}
