using LeadScoring.Application.Deployments;
using LeadScoring.Application.Monitoring;
using LeadScoring.Application.Registration;
using LeadScoring.Application.Retraining;
using LeadScoring.Application.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadScoring.Application;

/// <summary>Registers the use cases the server and the CLI share.</summary>
public static class ApplicationServices
{
    /// <summary>
    /// Adds the use cases. The host provides what they stand on: an <see cref="Storage.Registry.IModelRegistry"/>,
    /// a <see cref="Storage.Deployments.DeploymentStore"/>, a <see cref="Storage.Feedback.FeedbackReader"/> and its <see cref="TimeProvider"/> (the real clock is chosen at the outer edge, by the host, never here).
    /// </summary>
    public static IServiceCollection AddLeadScoringApplication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ModelRegistration>();
        services.TryAddSingleton<TrainAndRegister>();
        services.TryAddSingleton<DeploymentUseCases>();
        services.TryAddSingleton<DeploymentAnalysisUseCase>();
        // Needs a Storage.Monitoring.MonitoringStore too; takes MonitoringRunSettings when the host registers them (defaults otherwise).
        services.TryAddSingleton<MonitoringRunner>();
        services.TryAddSingleton<IScheduledMonitoring>(sp => sp.GetRequiredService<MonitoringRunner>());
        // Retraining needs a Storage.Retraining.RetrainingStore, the monitoring and alert stores (triggers); the server gives it a low-priority compute.
        services.TryAddSingleton<IBackgroundCompute, ThreadPoolCompute>();
        services.TryAddSingleton<RetrainingRunner>();
        services.TryAddSingleton<RetrainingPromotion>();
        services.TryAddSingleton<RetrainingUseCases>();
        return services;
    }
}
