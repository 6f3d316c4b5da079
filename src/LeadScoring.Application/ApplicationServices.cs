using LeadScoring.Application.Registration;
using LeadScoring.Application.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadScoring.Application;

/// <summary>Registers the use cases the server and the CLI share.</summary>
public static class ApplicationServices
{
    /// <summary>
    /// Adds the use cases. The host provides what they stand on: an <see cref="Storage.Registry.IModelRegistry"/>
    /// and a <see cref="TimeProvider"/> (registered here as <see cref="TimeProvider.System"/> only when the host has none).
    /// </summary>
    public static IServiceCollection AddLeadScoringApplication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ModelRegistration>();
        services.TryAddSingleton<TrainAndRegister>();
        return services;
    }
}
