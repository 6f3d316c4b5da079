using LeadScoring.Application.Retraining;
using LeadScoring.Storage;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Retraining;

/// <summary>Registers retraining: its store, settings (checked at start), the low-priority compute, the worker and the supervisor.</summary>
internal static class RetrainingServices
{
    public static IServiceCollection AddRetraining(this IServiceCollection services)
    {
        services.AddSingleton(sp => RetrainingStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddValidatedOptions<RetrainingSettings, RetrainingSettingsValidator>(RetrainingSettings.SectionName);
        services.AddSingleton<LowPriorityCompute>();
        services.AddSingleton<IBackgroundCompute>(sp => sp.GetRequiredService<LowPriorityCompute>());
        // The use cases come from AddLeadScoringApplication; the server swaps the thread pool for a low-priority thread.
        services.AddSingleton<RetrainingTriggers>();
        services.AddSingleton<RetrainingWakeSignal>();
        services.AddSingleton<RetrainingWorker>();
        services.AddSingleton<RetrainingSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<RetrainingWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<RetrainingSupervisor>());
        return services;
    }
}

/// <summary>Checks the retraining settings at start-up; each failure names its key.</summary>
internal sealed class RetrainingSettingsValidator : IValidateOptions<RetrainingSettings>
{
    public ValidateOptionsResult Validate(string? name, RetrainingSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
