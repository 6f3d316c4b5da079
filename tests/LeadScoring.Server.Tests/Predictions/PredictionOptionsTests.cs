using LeadScoring.Server.Predictions;
using LeadScoring.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>LeadScoring:Predictions is checked at start: a bad value or a misspelt key stops the service naming it.</summary>
[Collection(ServerCollection.Name)]
public sealed class PredictionOptionsTests
{
    private const string Section = "LeadScoring:Predictions";

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "OnStoreFailure", "serve", $"{Section}:OnStoreFailure must be 'fail-closed' or 'serve-unlogged' (got 'serve')" },
        { "OnStoreFailure", "", $"{Section}:OnStoreFailure must be 'fail-closed' or 'serve-unlogged' (got '')" },
        { "QueueCapacity", "0", $"{Section}:QueueCapacity must be between 1 and 1000000 records (got 0)" },
        { "MaxBatchSize", "0", $"{Section}:MaxBatchSize must be between 1 and QueueCapacity, 8192 (got 0)" },
        { "MaxBatchSize", "8193", $"{Section}:MaxBatchSize must be between 1 and QueueCapacity, 8192 (got 8193)" },
        { "MaxQueueWait", "00:00:00", $"{Section}:MaxQueueWait must be more than 0 and at most 1 minute (got 00:00:00)" },
        { "MaxQueueWait", "00:05:00", $"{Section}:MaxQueueWait must be more than 0 and at most 1 minute (got 00:05:00)" },
        { "RetentionDays", "0", $"{Section}:RetentionDays must be between 1 and 36500 (got 0)" },
        { "RetentionTimeOfDay", "1.00:00:00", $"{Section}:RetentionTimeOfDay must be a time of day (UTC) from 00:00:00 to 23:59:59 (got 1.00:00:00)" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_service_at_start_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningService.StartAsync(new Dictionary<string, string?> { [$"{Section}:{key}"] = value }));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("Enabled", "maybe", $"'{Section}:Enabled'")]
    [InlineData("MaxQueueWait", "soon", $"'{Section}:MaxQueueWait'")]
    [InlineData("QueueCapacty", "10", "'QueueCapacty'")]
    public async Task An_unreadable_or_misspelt_setting_stops_the_service_naming_it(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningService.StartAsync(new Dictionary<string, string?> { [$"{Section}:{key}"] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fail-closed", false)]
    [InlineData("FAIL-CLOSED", false)]
    [InlineData("serve-unlogged", true)]
    [InlineData("Serve-Unlogged", true)]
    public async Task The_failure_policy_is_read_case_insensitively(string policy, bool servesUnlogged)
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { [$"{Section}:OnStoreFailure"] = policy });

        Assert.Equal(servesUnlogged, service.Services.GetRequiredService<IOptions<PredictionLoggingOptions>>().Value.ServesUnlogged);
    }

    [Fact]
    public void The_defaults_are_a_logged_fail_closed_service_keeping_400_days()
    {
        var defaults = new PredictionLoggingOptions();

        Assert.Equal(
            (true, "fail-closed", false, 8192, 1024, TimeSpan.FromSeconds(2), 400, TimeSpan.FromHours(3)),
            (defaults.Enabled, defaults.OnStoreFailure, defaults.SyncEveryBatch, defaults.QueueCapacity, defaults.MaxBatchSize, defaults.MaxQueueWait, defaults.RetentionDays, defaults.RetentionTimeOfDay));
        Assert.True(new PredictionLoggingOptionsValidator().Validate(null, defaults).Succeeded);
    }
}
