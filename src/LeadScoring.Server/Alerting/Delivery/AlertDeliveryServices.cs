using LeadScoring.Server.Deployments;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>Registers the channels, their options and the delivery worker.</summary>
public static class AlertDeliveryServices
{
    /// <summary>
    /// Binds and validates LeadScoring:Alerting:Channels and LeadScoring:Alerting:Delivery, registers the three channels
    /// (over named HttpClients without request logging, with a short in-call retry), <see cref="AlertChannelRegistry"/>,
    /// <see cref="AlertDeliverySignal"/> and <see cref="AlertDeliveryWorker"/> as a hosted service. The alert store and a
    /// TimeProvider must be registered.
    /// </summary>
    public static IServiceCollection AddAlertDelivery(this IServiceCollection services)
    {
        services.AddValidatedOptions<AlertChannelOptions, AlertChannelOptionsValidator>(AlertChannelOptions.SectionName);
        services.AddValidatedOptions<AlertDeliveryOptions, AlertDeliveryOptionsValidator>(AlertDeliveryOptions.SectionName);
        AddChannelClient(services, SlackChannel.HttpClientName);
        AddChannelClient(services, PagerDutyChannel.HttpClientName);
        services.AddSingleton<IAlertChannel, SlackChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        services.AddSingleton<IAlertChannel, PagerDutyChannel>();
        services.AddSingleton<AlertChannelRegistry>();
        services.AddSingleton<AlertDeliverySignal>();
        // Shared with the deployments' supervisor when it is registered: one name per replica.
        services.TryAddSingleton<ReplicaIdentity>();
        services.AddSingleton<AlertDeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDeliveryWorker>());
        return services;
    }

    private static void AddChannelClient(IServiceCollection services, string name)
    {
        services.AddHttpClient(name)
            // The default handlers log every request's URL: a Slack webhook's URL is its secret.
            .RemoveAllLoggers()
            .ConfigureHttpClient((sp, client) =>
            {
                var timeout = sp.GetRequiredService<IOptions<AlertChannelOptions>>().Value.AttemptTimeout;
                // Outer bound for the whole call with its retries; each attempt has its own timeout below.
                client.Timeout = (timeout * 3) + TimeSpan.FromSeconds(5);
            })
            .AddResilienceHandler("retry", (pipeline, context) =>
            {
                var timeout = context.ServiceProvider.GetRequiredService<IOptions<AlertChannelOptions>>().Value.AttemptTimeout;
                // Polly's DI integration takes the TimeProvider registered in the container, and the server's is a
                // FakeTimeProvider in tests: its retry delays and per-attempt timeout would then wait for a fake clock
                // nobody advances, hanging the send. These are real network waits, so they run on the real clock; the
                // outbox's own backoff (hours, not milliseconds) is on the host's clock.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        BackoffType = DelayBackoffType.Exponential,
                        Delay = TimeSpan.FromMilliseconds(200),
                        UseJitter = true,
                        // A Retry-After of an hour must not hold the call: the outbox retries later instead.
                        ShouldRetryAfterHeader = false,
                    })
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = timeout });
            });
    }
}
