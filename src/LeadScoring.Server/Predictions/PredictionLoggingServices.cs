using LeadScoring.Server.Health;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Predictions;

/// <summary>Registers the prediction log on the request path.</summary>
public static class PredictionLoggingServices
{
    /// <summary>
    /// The log (its own SQLite file beside the registry's, or its own tables on PostgreSQL) with the durability of
    /// <see cref="PredictionLoggingOptions.SyncEveryBatch"/>; the queue, the recorder the scoring routes call, the
    /// group-commit writer, daily retention, the metrics, and the readiness entry "predictions".
    /// </summary>
    public static IServiceCollection AddPredictionLogging(this IServiceCollection services)
    {
        services.AddValidatedOptions<PredictionLoggingOptions, PredictionLoggingOptionsValidator>(PredictionLoggingOptions.SectionName);
        services.AddSingleton(sp => PredictionLogFactory.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            new PredictionLogOptions { SyncEveryBatch = sp.GetRequiredService<IOptions<PredictionLoggingOptions>>().Value.SyncEveryBatch },
            sp.GetRequiredService<TimeProvider>()));
        services.AddMetrics();
        services.AddSingleton<PredictionQueue>();
        services.AddSingleton<PredictionLogStatus>();
        services.AddSingleton<PredictionLogMetrics>();
        services.AddSingleton(sp => new PredictionRecorder(
            sp.GetRequiredService<PredictionQueue>(),
            sp.GetRequiredService<PredictionLogStatus>(),
            sp.GetRequiredService<PredictionLogMetrics>(),
            sp.GetRequiredService<IOptions<PredictionLoggingOptions>>()));
        services.AddHostedService<PredictionLogWriter>();
        services.AddSingleton(sp => new PredictionRetentionService(
            sp.GetRequiredService<PredictionLog>(),
            sp.GetRequiredService<IOptions<PredictionLoggingOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PredictionRetentionService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<PredictionRetentionService>());
        services.AddHealthChecks().AddCheck<PredictionLogCheck>("predictions", tags: ["ready"]);
        return services;
    }
}
