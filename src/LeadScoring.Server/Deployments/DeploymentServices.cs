namespace LeadScoring.Server.Deployments;

/// <summary>Registers what follows, measures and supervises deployments.</summary>
internal static class DeploymentServices
{
    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.AddValidatedOptions<DeploymentOptions, DeploymentOptionsValidator>(DeploymentOptions.SectionName);
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<DeploymentSync>();
        services.AddSingleton<ServingSync>();
        services.AddSingleton<ArmMinuteFlusher>();
        services.AddSingleton<ArmWindowReader>();
        services.AddSingleton<DeploymentEvaluator>();
        // After the prediction log's writer and the shadow scorer: it stops before them, so its last flush still
        // finds the store open, and the counts of their last leads are in it.
        services.AddSingleton<DeploymentSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentSupervisor>());
        return services;
    }
}
