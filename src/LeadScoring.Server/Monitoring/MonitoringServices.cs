using LeadScoring.Application.Monitoring;
using LeadScoring.Server.Metrics;
using LeadScoring.Storage;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Monitoring;

/// <summary>Registers what the monitoring runs need in the server: their settings (bound and validated), and the /metrics observer.</summary>
internal static class MonitoringServices
{
    /// <summary>
    /// Binds <see cref="MonitoringRunSettings"/> from LeadScoring:Monitoring and refuses to start with a bad value. Unknown
    /// keys are not refused here: the section is shared with the schedules, whose options own their own keys.
    /// </summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringRunSettings>().BindConfiguration(MonitoringRunSettings.SectionName).ValidateOnStart();
        // The weekly HTML reports go beside the data unless configured elsewhere.
        services.AddOptions<MonitoringRunSettings>().PostConfigure<IOptions<StorageOptions>>((settings, storage) =>
            settings.ReportDirectory ??= Path.GetFullPath(Path.Combine(storage.Value.DataDirectory, "reports")));
        services.AddSingleton<IValidateOptions<MonitoringRunSettings>, MonitoringRunSettingsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MonitoringRunSettings>>().Value);
        services.AddSingleton<IMonitoringRunObserver>(sp => new MonitoringRunObservers(
            [sp.GetRequiredService<MonitoringMetrics>(), sp.GetRequiredService<Alerting.AlertEvaluationTrigger>()]));
        return services;
    }
}

/// <summary>Checks <see cref="MonitoringRunSettings"/> at start-up; each failure names its configuration key.</summary>
internal sealed class MonitoringRunSettingsValidator : IValidateOptions<MonitoringRunSettings>
{
    public ValidateOptionsResult Validate(string? name, MonitoringRunSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
