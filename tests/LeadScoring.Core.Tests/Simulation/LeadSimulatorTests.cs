using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Core.Statistics;

namespace LeadScoring.Core.Tests.Simulation;

public sealed class LeadSimulatorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_leads()
    {
        var a = LeadSimulator.Generate(new SimulationOptions(2000, Seed: 5));
        var b = LeadSimulator.Generate(new SimulationOptions(2000, Seed: 5));
        var c = LeadSimulator.Generate(new SimulationOptions(2000, Seed: 6));

        Assert.Equal(a.TrueProbability, b.TrueProbability);
        Assert.Equal(a.Table.Labels!, b.Table.Labels!);
        Assert.Equal(((CategoricalColumn)a.Table.Columns[0]).Values, ((CategoricalColumn)b.Table.Columns[0]).Values);
        Assert.NotEqual(a.TrueProbability, c.TrueProbability);
    }

    [Fact]
    public void Baseline_leads_convert_at_a_realistic_rate_with_learnable_signal()
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 1));
        var labels = leads.Table.Labels!;

        var rate = labels.Count(l => l) / (double)labels.Length;
        var bestPossibleAuc = ClassificationMetrics.RocAuc(labels, leads.TrueProbability);

        Assert.InRange(rate, 0.25, 0.35);
        Assert.InRange(bestPossibleAuc, 0.82, 0.88);
        Assert.True(leads.Table.Timestamps!.SequenceEqual(leads.Table.Timestamps!.Order()), "leads arrive in time order");
    }

    [Fact]
    public void Source_shift_changes_the_source_mix()
    {
        static double SocialShare(Scenario s)
        {
            var sources = ((CategoricalColumn)LeadSimulator.Generate(new SimulationOptions(10_000, Seed: 2, Scenario: s)).Table.Columns[0]).Values;
            return sources.Count(v => v == "social") / (double)sources.Length;
        }

        Assert.InRange(SocialShare(Scenario.Baseline), 0.06, 0.10);
        Assert.InRange(SocialShare(Scenario.SourceShift), 0.27, 0.33);
    }

    [Fact]
    public void A_broken_pipeline_zeroes_time_on_site_and_drops_pages_per_visit()
    {
        var table = LeadSimulator.Generate(new SimulationOptions(1000, Seed: 3, Scenario: Scenario.BrokenPipeline)).Table;

        Assert.All(((NumericColumn)table.Columns[3]).Values, v => Assert.Equal(0, v));
        Assert.All(((NumericColumn)table.Columns[4]).Values, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Concept_drift_keeps_inputs_but_changes_what_converts()
    {
        var baseline = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 4));
        var drifted = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 4, Scenario: Scenario.ConceptDrift));

        static double StudentRate(SimulatedLeads leads)
        {
            var occupation = ((CategoricalColumn)leads.Table.Columns[6]).Values;
            var students = Enumerable.Range(0, occupation.Length).Where(i => occupation[i] == "student").ToArray();
            return students.Count(i => leads.Table.Labels![i]) / (double)students.Length;
        }

        // Same draws, same inputs...
        Assert.Equal(((NumericColumn)baseline.Table.Columns[3]).Values, ((NumericColumn)drifted.Table.Columns[3]).Values);
        // ...but students now convert far more often.
        Assert.True(StudentRate(drifted) > 2 * StudentRate(baseline), $"student conversion {StudentRate(baseline):P1} → {StudentRate(drifted):P1}");
    }

    [Fact]
    public void Seasonality_makes_weekends_quieter()
    {
        var times = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 5, Scenario: Scenario.Seasonality)).Table.Timestamps!;

        var weekendShare = times.Count(t => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / (double)times.Length;

        // Uniform arrivals would put 2/7 ≈ 28.6 % on weekends; weekend density is 0.4 of a weekday's.
        Assert.InRange(weekendShare, 0.11, 0.16);
    }

    [Fact]
    public void The_shipped_schema_file_is_the_simulators_schema()
    {
        var shipped = SchemaJson.Parse(File.ReadAllText(RepositoryPaths.File("schemas/simulated-leads.json")));

        Assert.Equal(SchemaJson.ToJson(LeadSimulator.Schema), SchemaJson.ToJson(shipped));
    }

    [Fact]
    public void An_unknown_scenario_name_lists_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ScenarioNames.Parse("apocalypse"));

        Assert.Contains("baseline, source-shift, seasonality, concept-drift, broken-pipeline", error.Message, StringComparison.Ordinal);
    }
}
