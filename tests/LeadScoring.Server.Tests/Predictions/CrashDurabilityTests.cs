using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage;
using Xunit.Abstractions;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>
/// Must show: the real server in its own process under 32 concurrent clients is killed with SIGKILL mid-load and
/// restarted on the same store; every request that got a 200 is in the log (request id and lead id), and the
/// report says how many were in flight at the kill and how many of those turned out committed.
/// </summary>
internal static class CrashDurability
{
    private const int Clients = 32;

    public static async Task RunAsync(string store, IReadOnlyDictionary<string, string> settings, StorageOptions storage, byte[] package, ITestOutputHelper output)
    {
        var acknowledged = new ConcurrentDictionary<string, string>();
        // Sent before the kill and not yet answered when it came: the answer never came, or it was already on its way.
        var inFlightAtKill = new ConcurrentDictionary<string, string>();
        var answeredAfterKill = 0;
        var refused = 0;
        var failedBeforeKill = 0;
        var killing = 0;
        await using (var server = await ServerProcess.StartAsync(settings))
        {
            await server.DeployAsync(package);
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                // Bounded: at most 5,000 requests per client, and none once the server is gone.
                for (var i = 0; i < 5_000 && Volatile.Read(ref killing) == 0; i++)
                {
                    var (requestId, leadId) = (string.Create(CultureInfo.InvariantCulture, $"kill-{client}-{i}"), string.Create(CultureInfo.InvariantCulture, $"lead-{client}-{i}"));
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/score-lead") { Content = new StringContent(Json.SimulatedLead(leadId), Encoding.UTF8, "application/json") };
                    request.Headers.Add("X-Request-Id", requestId);
                    try
                    {
                        using var response = await server.Client.SendAsync(request);
                        if (Volatile.Read(ref killing) == 1)
                        {
                            inFlightAtKill[requestId] = leadId;
                            Interlocked.Increment(ref answeredAfterKill);
                        }

                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged[requestId] = leadId;
                        }
                        else
                        {
                            Interlocked.Increment(ref refused);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        if (Volatile.Read(ref killing) == 0)
                        {
                            Interlocked.Increment(ref failedBeforeKill);
                        }
                        else
                        {
                            // Sent, and the process died before it answered (or it was sent as the process died).
                            inFlightAtKill[requestId] = leadId;
                        }

                        return;
                    }
                }
            })).ToArray();

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (acknowledged.Count < 3_000 && DateTime.UtcNow < deadline && !clients.All(c => c.IsCompleted))
            {
                await Task.Delay(10);
            }

            Volatile.Write(ref killing, 1);
            server.KillHard();
            await Task.WhenAll(clients);
            Assert.False(acknowledged.IsEmpty, $"no request got a 200 before the kill:\n{server.Output}");
        }

        // The same store, a new process: it recovers what the dead one committed, and logs on.
        List<(string RequestId, string LeadId)> logged;
        await using (var restarted = await ServerProcess.StartAsync(settings))
        {
            await restarted.WaitUntilServingAsync();
            var (status, _, response) = await LoggedPredictions.ScoreAsync(restarted.Client, "after-restart", "after-restart-1");
            response.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
            logged = (await LoggedPredictions.ReadAllAsync(storage)).Select(p => (p.Record.RequestId, p.Record.LeadId)).ToList();
        }

        var inLog = logged.ToHashSet();
        var lost = acknowledged.Where(a => !inLog.Contains((a.Key, a.Value))).Select(a => a.Key).ToList();
        var committedInFlight = inFlightAtKill.Count(f => inLog.Contains((f.Key, f.Value)));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{store}: {acknowledged.Count:N0} requests got a 200, {acknowledged.Count - lost.Count:N0} of them are in the log after the kill -9 and the restart; {inFlightAtKill.Count} were in flight at the kill ({inFlightAtKill.Count - answeredAfterKill} never answered, {answeredAfterKill} answered 200 from what the server had sent before it died), {committedInFlight} of those turned out committed; {refused} refused"));

        Assert.Empty(lost);
        Assert.Equal((0, 0), (refused, failedBeforeKill));
        // Nothing else is in the log: the acknowledged, the unanswered ones that made it, and the one after the restart.
        Assert.Equal(logged.Count, inLog.Count);
        var committedUnanswered = inFlightAtKill.Count(f => inLog.Contains((f.Key, f.Value)) && !acknowledged.ContainsKey(f.Key));
        Assert.Equal(acknowledged.Count + committedUnanswered + 1, logged.Count);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteCrashDurabilityTests(TestPackages packages, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_200_survives_a_kill_9_of_the_server_under_load_on_sqlite()
    {
        var directory = Directory.CreateTempSubdirectory("leadscoring-kill-test-").FullName;
        try
        {
            await CrashDurability.RunAsync(
                "SQLite (synchronous=NORMAL, WAL)",
                new Dictionary<string, string> { ["Storage:DataDirectory"] = directory },
                new StorageOptions { DataDirectory = directory },
                packages.First,
                output);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}

[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresCrashDurabilityTests(PostgresTestCluster cluster, ITestOutputHelper output)
{
    private static readonly TestPackages Packages = new();

    [Fact]
    public async Task Every_200_survives_a_kill_9_of_the_server_under_load_on_postgres()
    {
        var database = await cluster.CreateDatabaseAsync("kill");
        var directory = Directory.CreateTempSubdirectory("leadscoring-kill-test-").FullName;
        try
        {
            await CrashDurability.RunAsync(
                "PostgreSQL",
                new Dictionary<string, string> { ["Storage:DataDirectory"] = directory, ["Storage:PostgresConnectionString"] = database },
                new StorageOptions { DataDirectory = directory, PostgresConnectionString = database },
                Packages.First,
                output);
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
            Directory.Delete(directory, recursive: true);
        }
    }
}
