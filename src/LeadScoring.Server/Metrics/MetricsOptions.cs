namespace LeadScoring.Server.Metrics;

/// <summary>The Prometheus endpoint (section LeadScoring:Metrics).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Metrics";

    /// <summary>Serve GET /metrics (Prometheus text) and collect the instruments behind it; false removes both.</summary>
    public bool Enabled { get; set; } = true;
}
