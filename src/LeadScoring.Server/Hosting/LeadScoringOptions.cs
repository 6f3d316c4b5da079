namespace LeadScoring.Server.Hosting;

/// <summary>The service's settings (configuration section "LeadScoring").</summary>
public sealed class LeadScoringOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring";

    /// <summary>The registered model whose Production version is served.</summary>
    public string ModelName { get; set; } = "lead-scoring";

    /// <summary>Score bands as name:cut-off pairs.</summary>
    public string Buckets { get; set; } = "hot:0.7,warm:0.4,cold:0";

    /// <summary>Most leads accepted by one POST /score-leads.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Largest request body accepted by the scoring routes, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 1 << 20;

    /// <summary>How often the registry is polled for a new Production version.</summary>
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Training a first model when the registry has none.</summary>
    public BootstrapOptions Bootstrap { get; set; } = new();
}

/// <summary>What the service does on first start with an empty registry.</summary>
public sealed class BootstrapOptions
{
    /// <summary>Train, register and promote a first model on simulated leads when nothing is in Production.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Simulated leads to train on.</summary>
    public int Rows { get; set; } = 20_000;

    /// <summary>Seed for the simulated leads and the training.</summary>
    public int Seed { get; set; } = 42;
}
