using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Registry;

/// <summary>
/// A data directory on a full or read-only disk, or a corrupt database file: admin writes get a 503 naming the
/// cause, readiness reports the store as not writable, and both recover once the cause is gone.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StoreFaultTests(TestPackages packages)
{
    [Fact]
    public async Task A_full_disk_is_a_503_and_makes_the_service_unready_until_space_is_freed()
    {
        using var disk = Tmpfs.Mount(megabytes: 24);
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = disk.Path });
        await service.RegisterAsync(packages.First);

        disk.Fill();
        var (status, retryAfter, problem) = await RegisterAsync(service, packages.Second);
        var store = await ReadinessOfStoreAsync(service);
        disk.Free();
        var (statusAfter, _, _) = await RegisterAsync(service, packages.Second);
        var storeAfter = await ReadinessOfStoreAsync(service);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.NotNull(retryAfter);
        Assert.Contains("the disk is full", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Unhealthy", "registry store not writable: the disk is full"), store);
        Assert.Equal(HttpStatusCode.Created, statusAfter);
        Assert.Equal("Healthy", storeAfter.Status);
    }

    [Fact]
    public async Task A_read_only_disk_is_a_503_and_makes_the_service_unready()
    {
        using var disk = Tmpfs.Mount(megabytes: 24);
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = disk.Path });
        await service.RegisterAsync(packages.First);

        disk.RemountReadOnly();
        var (status, _, problem) = await RegisterAsync(service, packages.Second);
        var store = await ReadinessOfStoreAsync(service);
        disk.RemountReadWrite();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("read-only", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Unhealthy", "registry store not writable: the store is read-only"), store);
    }

    [Fact]
    public async Task A_corrupt_database_file_is_a_503_and_makes_the_service_unready()
    {
        var directory = Directory.CreateTempSubdirectory("leadscoring-corrupt-db-test-").FullName;
        try
        {
            var garbage = new byte[64 * 1024];
            new Random(6).NextBytes(garbage);
            await File.WriteAllBytesAsync(Path.Combine(directory, "leadscoring.db"), garbage);
            await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory });

            var (status, _, problem) = await RegisterAsync(service, packages.First);
            var store = await ReadinessOfStoreAsync(service);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("the database file is corrupt", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(("Unhealthy", "registry store not writable: the database file is corrupt"), store);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, RetryConditionHeaderValue? RetryAfter, JsonElement Problem)> RegisterAsync(RunningService service, byte[] archive)
    {
        using var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await service.Admin.PostAsync("/registry/models/lead-scoring/versions", content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, response.Headers.RetryAfter, body);
    }

    private static async Task<(string? Status, string? Description)> ReadinessOfStoreAsync(RunningService service)
    {
        using var response = await service.Client.GetAsync("/health/ready");
        var store = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("store");
        return (store.GetProperty("status").GetString(), store.GetProperty("description").GetString());
    }
}
