namespace LeadScoring.Server.Outcomes;

/// <summary>Registers what the outcome routes need beyond the stores: their limits, the ingest key and its filter.</summary>
public static class OutcomeServices
{
    public static IServiceCollection AddOutcomes(this IServiceCollection services)
    {
        services.AddValidatedOptions<OutcomesOptions, OutcomesOptionsValidator>(OutcomesOptions.SectionName);
        services.AddValidatedOptions<IngestOptions, IngestOptionsValidator>(IngestOptions.SectionName);
        services.AddSingleton<IngestKey>();
        services.AddSingleton<OutcomesKeyFilter>();
        return services;
    }
}
