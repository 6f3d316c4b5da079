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
        services.AddSingleton<DeploymentSupervisor>();
        return services;
    }

    /// <summary>
    /// Runs the supervisor. Registered before the prediction log's writer and the shadow scorer, so it stops after
    /// them (hosted services stop in reverse order): its last flush holds the counts of the last leads they finished.
    /// </summary>
    public static IServiceCollection AddDeploymentSupervisor(this IServiceCollection services) =>
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentSupervisor>());
}
