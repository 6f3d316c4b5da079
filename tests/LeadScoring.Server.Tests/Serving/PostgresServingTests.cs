using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Serving;

[Collection(PostgresTestCluster.CollectionName)]
public sealed class PostgresServingTests(PostgresTestCluster cluster)
{
    private static readonly TestPackages Packages = new();

    [Fact]
    public async Task Two_instances_on_one_postgres_registry_serve_the_same_production_version()
    {
        var database = await cluster.CreateDatabaseAsync("serving");
        try
        {
            await using var first = await RunningService.StartAsync(postgres: database);
            await using var second = await RunningService.StartAsync(postgres: database);

            var v1 = await first.DeployAsync(Packages.First);
            await second.WaitUntilServingAsync(v1);
            var v2 = await second.RegisterAsync(Packages.Second);
            await second.PromoteAsync(v2);
            await first.WaitUntilServingAsync(v2);
            var (status, body, _) = await Json.PostAsync(first.Client, "/score-lead", Json.SimulatedLead());

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(v2, body.GetProperty("model").GetProperty("version").GetInt32());
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }
}
