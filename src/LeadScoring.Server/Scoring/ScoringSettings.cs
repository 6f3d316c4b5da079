using LeadScoring.Core.Scoring;
using LeadScoring.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Scoring;

/// <summary>Scoring settings parsed once at start-up (a bad band definition stops the service with a clear message).</summary>
public sealed class ScoringSettings(IOptions<LeadScoringOptions> options)
{
    /// <summary>The score bands.</summary>
    public ScoreBuckets Buckets { get; } = ScoreBuckets.Parse(options.Value.Buckets);

    /// <summary>Most leads per batch request.</summary>
    public int MaxBatchSize { get; } = options.Value.MaxBatchSize;

    /// <summary>Largest accepted request body.</summary>
    public int MaxRequestBytes { get; } = options.Value.MaxRequestBytes;
}
