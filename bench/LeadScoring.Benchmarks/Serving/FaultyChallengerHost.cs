using System.Globalization;
using LeadScoring.Core.Features;
using LeadScoring.Server;
using LeadScoring.Server.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Benchmarks.Serving;

/// <summary>
/// The real scoring service for bench/load/run-modes, with two registered versions made to fail the way a broken
/// challenger does: one throws on every lead, one sleeps before scoring. The product has no switch for this; the
/// bench swaps the service's model loader, as the server tests do, so the modes can be measured against a faulty
/// shadow in the same run as single mode:
/// <c>dotnet run -c Release --project bench/LeadScoring.Benchmarks -- serve-faulty-challengers THROWING-VERSION SLEEPING-VERSION SLEEP-MS [service arguments]</c>.
/// </summary>
internal static class FaultyChallengerHost
{
    public const string Name = "serve-faulty-challengers";

    public static async Task RunAsync(string[] args)
    {
        var throwing = int.Parse(args[0], CultureInfo.InvariantCulture);
        var sleeping = int.Parse(args[1], CultureInfo.InvariantCulture);
        var sleep = TimeSpan.FromMilliseconds(double.Parse(args[2], CultureInfo.InvariantCulture));
        var loader = new FaultyLoader(new PackageModelLoader(TimeProvider.System), throwing, sleeping, sleep);
        await using var app = LeadScoringHost.Build(args[3..], builder => builder.Services.AddSingleton<IModelLoader>(loader));
        await app.RunAsync();
    }

    private sealed class FaultyLoader(IModelLoader inner, int throwing, int sleeping, TimeSpan sleep) : IModelLoader
    {
        public LoadedModel Load(string name, int version, byte[] archive)
        {
            var model = inner.Load(name, version, archive);
            return version == throwing ? model with { Scorer = new ThrowingScorer() }
                : version == sleeping ? model with { Scorer = new SleepingScorer(model.Scorer, sleep) }
                : model;
        }
    }

    private sealed class ThrowingScorer : IModelScorer
    {
        public double Score(LeadFeatures lead) => throw new InvalidOperationException("this challenger is broken on purpose (bench)");
    }

    private sealed class SleepingScorer(IModelScorer inner, TimeSpan sleep) : IModelScorer
    {
        public double Score(LeadFeatures lead)
        {
            Thread.Sleep(sleep);
            return inner.Score(lead);
        }
    }
}
