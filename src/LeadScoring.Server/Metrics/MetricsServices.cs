using LeadScoring.Server.Predictions;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LeadScoring.Server.Metrics;

/// <summary>
/// GET /metrics: the host's and the product's System.Diagnostics.Metrics instruments in Prometheus text, through
/// OpenTelemetry. Read at each scrape; recording costs the request path an add to a bucket, nothing more.
/// </summary>
internal static class MetricsServices
{
    public const string Path = "/metrics";

    /// <summary>The meters exported: ASP.NET Core's and Kestrel's, the .NET runtime's, and the product's own.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Runtime",
        ScoringMetrics.MeterName,
        PredictionLogMetrics.MeterName,
        ShadowScorer.MeterName,
        DeploymentMetrics.MeterName,
        MonitoringMetrics.MeterName,
    ];

    /// <summary>
    /// Request durations in seconds: a scored lead is answered in about a millisecond (its log commit included), so
    /// the buckets start well below ASP.NET Core's default first bucket of 5 ms.
    /// </summary>
    public static readonly double[] RequestDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Registers the options and, unless LeadScoring:Metrics:Enabled is false, the OpenTelemetry meter provider and its Prometheus exporter.</summary>
    public static void AddLeadScoringMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.SectionName, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        builder.Services.AddSingleton<ScoringMetrics>();
        builder.Services.AddSingleton<DeploymentMetrics>();
        builder.Services.AddSingleton<MonitoringMetrics>();
        if (!IsEnabled(builder.Configuration))
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("lead-scoring"))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBuckets })
                // Prometheus reserves a _count suffix for histograms and summaries (promtool refuses these names).
                .AddView("dotnet.assembly.count", new MetricStreamConfiguration { Name = "dotnet.assemblies.loaded" })
                .AddView("dotnet.process.cpu.count", new MetricStreamConfiguration { Name = "dotnet.process.cpus" })
                .AddView("dotnet.timer.count", new MetricStreamConfiguration { Name = "dotnet.timers.active" })
                // Each scrape reads the instruments afresh: Prometheus scrapes every few seconds at most.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    /// <summary>Maps GET /metrics when enabled.</summary>
    public static void MapLeadScoringMetrics(this WebApplication app)
    {
        if (IsEnabled(app.Configuration))
        {
            // Its gauges exist once it does; otherwise only the supervisor would create it, at its first rollback.
            app.Services.GetRequiredService<DeploymentMetrics>();
            app.MapPrometheusScrapingEndpoint(Path);
        }
    }

    // Read from configuration before the options exist (registration decides what is registered). A value that is
    // not a boolean counts as enabled here; binding the options then stops the service at start, naming the key.
    private static bool IsEnabled(IConfiguration configuration) =>
        !bool.TryParse(configuration[MetricsOptions.SectionName + ":Enabled"], out var enabled) || enabled;
}
