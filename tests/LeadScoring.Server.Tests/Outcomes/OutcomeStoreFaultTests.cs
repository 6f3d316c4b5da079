using System.Net;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Outcomes;

/// <summary>An outcome store that cannot be written answers 503 with Retry-After, and the refused batch is not written.</summary>
public sealed class OutcomeStoreFaultTests
{
    [Fact]
    public async Task A_read_only_disk_is_a_503_with_retry_after_and_the_batch_is_not_written()
    {
        using var disk = Tmpfs.Mount(megabytes: 24);
        await using var service = await OutcomeService.StartAsync(new Dictionary<string, string?> { ["Storage:DataDirectory"] = disk.Path });
        var (first, _, _) = await service.PostAsync(OutcomeService.Outcome("crm-1"));

        disk.RemountReadOnly();
        using var response = await service.Ingest.PostAsync("/outcomes", OutcomeService.Body(OutcomeService.Array(OutcomeService.Outcome("crm-2"), OutcomeService.Outcome("crm-1", converted: false))));
        var problem = await response.Content.ReadAsStringAsync();
        disk.RemountReadWrite();

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("read-only", problem, StringComparison.Ordinal);
        Assert.Equal(1, await service.StoredAsync());
        Assert.True((await service.Store.GetCurrentAsync("crm-1"))!.Converted);
    }
}
