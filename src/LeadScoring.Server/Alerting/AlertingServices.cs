using LeadScoring.Application.Alerting;
using LeadScoring.Server.Alerting.Delivery;
using LeadScoring.Server.Alerting.Operations;
using LeadScoring.Storage;
using LeadScoring.Storage.Alerting;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Alerting;

/// <summary>Registers alerting (the store, the rules and their evaluation, delivery to the channels) and maps its routes.</summary>
internal static class AlertingServices
{
    /// <summary>The alert store beside the registry; the rules (LeadScoring:Alerting, checked at start), the evaluator and the delivery worker.</summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services)
    {
        services.AddSingleton(sp => AlertStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddAlertDelivery();
        services.AddOptions<AlertingSettings>().BindConfiguration(AlertingSettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertingSettings>, AlertingSettingsValidator>();
        services.AddSingleton(sp => AlertPolicy.From(sp.GetRequiredService<IOptions<AlertingSettings>>().Value, sp.GetRequiredService<AlertChannelRegistry>().IsConfigured));
        services.AddSingleton<AlertEvaluator>();
        services.AddSingleton<LiveScoringCounters>();
        services.AddSingleton<AlertEvaluationTrigger>();
        services.AddSingleton<AlertEvaluationService>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertEvaluationService>());
        return services;
    }
}

/// <summary>Checks the rules and the routing at start-up; each failure names its configuration key.</summary>
internal sealed class AlertingSettingsValidator : IValidateOptions<AlertingSettings>
{
    public ValidateOptionsResult Validate(string? name, AlertingSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ResolveRules(out var problems);
        var all = problems.Concat(options.Routing.Problems()).ToList();
        return all.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(all);
    }
}
