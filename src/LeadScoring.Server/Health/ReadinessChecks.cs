using LeadScoring.Server.Serving;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadScoring.Server.Health;

/// <summary>Ready only with a model loaded.</summary>
public sealed class ModelLoadedCheck(ServingState serving) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(serving.Snapshot?.Champion is { } model
            ? HealthCheckResult.Healthy($"{model.Name} v{model.Version} loaded at {model.LoadedAt:O}")
            : HealthCheckResult.Unhealthy("no model loaded yet"));
}

/// <summary>Ready only when the registry's store answers.</summary>
public sealed class StoreReachableCheck(IModelRegistry registry) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await registry.PingAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy("registry store reachable")
            : HealthCheckResult.Unhealthy("registry store unreachable");
}
