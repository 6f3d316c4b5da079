using LeadScoring.Core.Data;
using LeadScoring.Modeling.Tuning;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Modeling.Tests.Tuning;

/// <summary>One small search on drifting leads, shared by the tests that only read its result.</summary>
public sealed class SearchFixture
{
    /// <summary>Small and fast: few trials, 3 folds, shallow ensembles.</summary>
    public static readonly HyperparameterSearchOptions Options = new(
        Trials: 9,
        Folds: 3,
        Seed: 5,
        EarlyStoppingRounds: 10,
        Space: new SearchSpace { Iterations = new(20, 80), Leaves = new(4, 24) });

    public SearchFixture()
    {
        Leads = DriftingLeads.Generate(3000, seed: 31);
        Result = HyperparameterSearch.Run(Leads, Options, new FakeTimeProvider());
    }

    public LeadTable Leads { get; }

    public SearchResult Result { get; }
}
