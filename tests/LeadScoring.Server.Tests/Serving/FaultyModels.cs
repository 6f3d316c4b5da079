using System.Collections.Concurrent;
using LeadScoring.Core.Features;
using LeadScoring.Server.Serving;

namespace LeadScoring.Server.Tests.Serving;

/// <summary>
/// The test seam for a failing model: a model loader registered in place of the service's, loading packages as the
/// product does and wrapping the scorer of the versions a test names. The product has no switch for this.
/// </summary>
internal sealed class FaultyModelLoader : IModelLoader
{
    private readonly PackageModelLoader _inner = new(TimeProvider.System);

    /// <summary>Wrappers by version: what scores in place of that version's scorer.</summary>
    public ConcurrentDictionary<int, Func<IModelScorer, IModelScorer>> Faults { get; } = new();

    public LoadedModel Load(string name, int version, byte[] archive)
    {
        var model = _inner.Load(name, version, archive);
        return Faults.TryGetValue(version, out var wrap) ? model with { Scorer = wrap(model.Scorer) } : model;
    }
}

/// <summary>A scorer that always throws, as a broken model does.</summary>
internal sealed class ThrowingScorer : IModelScorer
{
    public double Score(LeadFeatures lead) => throw new InvalidOperationException("the challenger is broken");
}

/// <summary>A scorer that takes <paramref name="delay"/> longer than the model it wraps.</summary>
internal sealed class SleepingScorer(IModelScorer inner, TimeSpan delay) : IModelScorer
{
    public double Score(LeadFeatures lead)
    {
        Thread.Sleep(delay);
        return inner.Score(lead);
    }
}

/// <summary>A scorer that hangs until <see cref="Release"/> (a crashed or stuck model), then scores.</summary>
internal sealed class BlockedScorer(IModelScorer inner) : IModelScorer
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    /// <summary>How many calls have started.</summary>
    public int Entered => Volatile.Read(ref _entered);

    public double Score(LeadFeatures lead)
    {
        Interlocked.Increment(ref _entered);
        _gate.Task.GetAwaiter().GetResult();
        return inner.Score(lead);
    }

    public void Release() => _gate.TrySetResult();
}
