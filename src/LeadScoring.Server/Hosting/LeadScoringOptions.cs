namespace LeadScoring.Server.Hosting;

/// <summary>
/// The admin settings still bound from the "LeadScoring" section. Serving, bootstrap and scoring settings have
/// their own validated options (<see cref="Serving.ServingOptions"/>, <see cref="Serving.BootstrapOptions"/>,
/// <see cref="Scoring.ScoringOptions"/>).
/// </summary>
public sealed class LeadScoringOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring";

    /// <summary>
    /// Key for the admin (registry) routes, sent as X-Api-Key. When empty, one is generated on first start and
    /// kept in &lt;data directory&gt;/admin-key.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>Largest model package accepted by the registry upload route, in bytes.</summary>
    public int MaxPackageBytes { get; set; } = 256 << 20;
}
