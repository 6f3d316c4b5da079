namespace LeadScoring.Server;

/// <summary>Builds the scoring service; used by Program.cs, `leadscore serve` and the tests.</summary>
public static class LeadScoringHost
{
    /// <summary>Creates the application with its services and routes, ready to run.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        return app;
    }
}
