using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Storage;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting;

/// <summary>Registers alerting (the store, the rules and their evaluation, delivery to the channels) and maps its routes.</summary>
internal static class AlertingServices
{
    /// <summary>The alert store beside the registry; the rules, the evaluator and the delivery worker.</summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services)
    {
        services.AddSingleton(sp => AlertStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddAlertDelivery();
        return services;
    }
}
