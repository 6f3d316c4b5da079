using System.Text.Json;
using LeadScoring.Application;
using LeadScoring.Application.Configuration;
using LeadScoring.Application.Predictions;
using LeadScoring.Server.Alerting;
using LeadScoring.Server.Deployments;
using LeadScoring.Server.Errors;
using LeadScoring.Server.Health;
using LeadScoring.Server.Hosting;
using LeadScoring.Server.Leads;
using LeadScoring.Server.Metrics;
using LeadScoring.Server.Models;
using LeadScoring.Server.Monitoring;
using LeadScoring.Server.Monitoring.Scheduling;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Outcomes;
using LeadScoring.Server.Registry;
using LeadScoring.Server.Retraining;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;
using LeadScoring.Storage;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Outcomes;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace LeadScoring.Server;

/// <summary>Builds the scoring service; used by Program.cs, `leadscore serve` and the tests.</summary>
public static class LeadScoringHost
{
    /// <summary>Creates the application with its services and routes, ready to run.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddLeadScoringEnvironment().AddCommandLine(args);
        builder.AddLeadScoring();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapLeadScoring();
        return app;
    }

    /// <summary>Registers options, storage, the served model and its background sync, health checks, OpenAPI and logging.</summary>
    public static WebApplicationBuilder AddLeadScoring(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<ServingOptions, ServingOptionsValidator>(ServingOptions.SectionName);
        services.AddValidatedOptions<BootstrapOptions, BootstrapOptionsValidator>(BootstrapOptions.SectionName);
        services.AddValidatedOptions<ScoringOptions, ScoringOptionsValidator>(ScoringOptions.SectionName);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp => ModelRegistryFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IModelRegistry>(sp => sp.GetRequiredService<ModelRegistry>());
        services.AddSingleton(sp => Storage.Deployments.DeploymentStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Storage.Deployments.DeploymentStoreFactory.CreateLease(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddDeploymentSupervisor();
        // The prediction log and outcomes: their own SQLite file beside the registry's, or their own tables on PostgreSQL.
        services.AddPredictionLogging();
        services.AddSingleton(sp => OutcomeStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => FeedbackReaderFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => LeadScoring.Storage.Monitoring.MonitoringStoreFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddLeadScoringApplication();
        services.AddPredictionUseCases();
        services.AddSingleton<ServingState>();
        services.AddSingleton<IModelLoader, PackageModelLoader>();
        services.AddSingleton<ArmCounters>();
        // Registered after the prediction log's writer, so it stops first: shadow pair rows still reach an open log.
        services.AddValidatedOptions<ShadowOptions, ShadowOptionsValidator>(ShadowOptions.SectionName);
        services.AddSingleton<ShadowScorer>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowScorer>());
        builder.AddLeadScoringMetrics();
        services.AddSingleton<LeadScoringService>();
        services.AddSingleton<ProductionModelSync>();
        services.AddSingleton<FirstModelBootstrapper>();
        services.AddDeployments();
        services.AddHostedService<ModelServingService>();
        services.AddSingleton<AdminKey>();
        services.AddSingleton<AdminKeyFilter>();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<StoreWriteStatus>();
        services.AddOutcomes();
        services.AddMonitoring();
        builder.AddMonitoringSchedules();
        services.AddAlerting();
        services.AddRetraining();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.PostConfigure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails += ProblemExceptionHandler.DescribeUnsupportedMediaType);

        // One id everywhere: the problem body's trace_id is the request id of the log and X-Request-Id.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["trace_id"] = c.HttpContext.TraceIdentifier);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ScoringJsonContext.Default);
        });
        services.AddHealthChecks()
            .AddCheck<ModelLoadedCheck>("model", tags: ["ready"])
            .AddCheck<StoreWritableCheck>("store", tags: ["ready"]);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Lead scoring API";
            document.Info.Description = "Score sales leads with the Production model, inspect it, and manage the model registry (admin routes need X-Api-Key).";
            return Task.CompletedTask;
        }));

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // An unready service (e.g. still training its first model) is normal, not an error; /health/ready says why.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        return builder;
    }

    /// <summary>Maps every route: scoring, the served model, registry admin, health, OpenAPI and docs.</summary>
    public static WebApplication MapLeadScoring(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Resolve the admin key now, so a generated one exists (and its location is logged) from the first minute.
        app.Services.GetRequiredService<AdminKey>();
        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapScoring();
        app.MapServedModel();
        app.MapRegistry();
        app.MapLeads();
        app.MapOutcomes();
        app.MapDeployments();
        app.MapMonitoring();
        app.MapAlerts();
        app.MapRetraining();
        app.MapLeadScoringMetrics();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync });
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Lead scoring API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }

    // Binds a section, checks it with its validator at start (the host refuses to start with one message per
    // bad key), and refuses keys the options do not have, so a misspelt setting is not silently ignored.
    internal static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
