using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadScoring.Application.Predictions;

/// <summary>Registers the prediction-log use cases (replay, export) for a host that provides the log, the outcomes, the registry and a clock.</summary>
public static class PredictionUseCases
{
    /// <summary>Adds <see cref="LeadReplay"/> and <see cref="PredictionExport"/>.</summary>
    public static IServiceCollection AddPredictionUseCases(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<LeadReplay>();
        services.TryAddSingleton<PredictionExport>();
        return services;
    }
}
