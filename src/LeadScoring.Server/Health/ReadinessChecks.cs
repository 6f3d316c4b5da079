using LeadScoring.Server.Serving;
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
