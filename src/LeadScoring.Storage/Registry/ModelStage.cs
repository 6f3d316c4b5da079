namespace LeadScoring.Storage.Registry;

/// <summary>Where a model version is in its life cycle. At most one version of a model is in Production.</summary>
public enum ModelStage
{
    /// <summary>Registered, not yet staged.</summary>
    None,

    /// <summary>Candidate under evaluation.</summary>
    Staging,

    /// <summary>Served to callers. At most one version per model.</summary>
    Production,

    /// <summary>Retired; kept for lineage and rollback.</summary>
    Archived,
}
