namespace LeadScoring.Server.Scoring;

/// <summary>
/// The model that scored a request, set on <see cref="HttpContext.Features"/> by the scoring routes and read
/// by the request log.
/// </summary>
public interface IScoredByFeature
{
    /// <summary>Registered model name.</summary>
    string ModelName { get; }

    /// <summary>Registered version.</summary>
    int ModelVersion { get; }
}
