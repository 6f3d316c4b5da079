using System.Diagnostics.Metrics;
using LeadScoring.Server.Serving;

namespace LeadScoring.Server.Scoring;

/// <summary>
/// The scoring path's instruments (Meter <see cref="MeterName"/>): each scored lead's score and the model's latency,
/// tagged with the model, its version and the arm that answered, and challengers that failed a lead. Called once per
/// lead, so it allocates nothing there: each (model, arm) gets its tag array once, found again by reference.
/// </summary>
public sealed class ScoringMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "LeadScoring.Scoring";

    /// <summary>Score buckets: tenths of the probability, so the default bands (0.4, 0.7) fall on edges.</summary>
    public static readonly double[] ScoreBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

    /// <summary>Model latency buckets in seconds: a tree ensemble scores a lead in tens of microseconds.</summary>
    public static readonly double[] LatencyBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

    // Models served since start, newest last; a few are kept (a champion, a challenger and the ones they replaced).
    private const int CachedModels = 8;
    private static readonly int Arms = Enum.GetValues<ServingArm>().Length;

    private readonly Histogram<double> _scores;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _challengerErrors;
    private readonly Lock _gate = new();
    private volatile ModelTags[] _tags = [];

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public ScoringMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _scores = meter.CreateHistogram(
            "leadscoring.scoring.score", unit: null, description: "Scores served, by model, version and arm",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ScoreBuckets });
        _latency = meter.CreateHistogram(
            "leadscoring.scoring.model_latency", unit: "s", description: "Time the model took to score and band one lead",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _challengerErrors = meter.CreateCounter<long>(
            "leadscoring.scoring.challenger_errors", "{lead}", "Leads a challenger failed to score (the champion answered them)");
    }

    /// <summary>One lead scored by <paramref name="model"/> in <paramref name="arm"/>.</summary>
    public void Scored(LoadedModel model, ServingArm arm, double score, long latencyMicroseconds)
    {
        if (!_scores.Enabled && !_latency.Enabled)
        {
            return;
        }

        var tags = TagsOf(model, arm);
        _scores.Record(score, tags);
        _latency.Record(latencyMicroseconds / 1e6, tags);
    }

    /// <summary>A challenger threw on one lead.</summary>
    public void ChallengerFailed(LoadedModel model)
    {
        if (_challengerErrors.Enabled)
        {
            _challengerErrors.Add(1, TagsOf(model, ServingArm.Challenger));
        }
    }

    private ReadOnlySpan<KeyValuePair<string, object?>> TagsOf(LoadedModel model, ServingArm arm)
    {
        foreach (var entry in _tags)
        {
            if (ReferenceEquals(entry.Model, model))
            {
                return entry.ByArm[(int)arm];
            }
        }

        return Add(model).ByArm[(int)arm];
    }

    // Copy-on-write, so readers never lock; a model seen again after falling out is simply added again.
    private ModelTags Add(LoadedModel model)
    {
        lock (_gate)
        {
            var current = _tags;
            foreach (var entry in current)
            {
                if (ReferenceEquals(entry.Model, model))
                {
                    return entry;
                }
            }

            var byArm = new KeyValuePair<string, object?>[Arms][];
            object version = model.Version;
            for (var arm = 0; arm < Arms; arm++)
            {
                byArm[arm] = [new("model", model.Name), new("version", version), new("arm", ServingArmNames.Of((ServingArm)arm))];
            }

            var added = new ModelTags(model, byArm);
            _tags = [.. current.Skip(Math.Max(0, current.Length - CachedModels + 1)), added];
            return added;
        }
    }

    private sealed record ModelTags(LoadedModel Model, KeyValuePair<string, object?>[][] ByArm);
}
