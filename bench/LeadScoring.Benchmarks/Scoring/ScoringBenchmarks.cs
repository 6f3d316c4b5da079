using BenchmarkDotNet.Attributes;
using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Benchmarks.Scoring;

/// <summary>
/// In-process scoring with the model the service bootstraps (LightGBM, default settings, 20,000 simulated
/// leads): one lead at a time, as /score-lead does, and a table of 10,000 leads, as batch scoring does.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ScoringBenchmarks
{
    private ModelPackage _package = null!;
    private LeadFeatures[] _leads = [];
    private LeadTable _table = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var training = LeadSimulator.Generate(new SimulationOptions(20_000, Seed: 42)).Table;
        var directory = Directory.CreateTempSubdirectory("bench-model-").FullName;
        ModelPackage.Write(ModelTrainer.Train(training, new TrainingOptions(), new DataSource(null, null), TimeProvider.System), directory);
        _package = ModelPackage.Load(directory);
        _table = LeadSimulator.Generate(new SimulationOptions(10_000, Seed: 7)).Table;
        _leads = Enumerable.Range(0, 1024).Select(ToFeatures).ToArray();
    }

    /// <summary>One lead, encoded and scored (pooled PredictionEngine).</summary>
    [Benchmark]
    public double SingleLead() => _package.Scorer.Score(_leads[_next++ & 1023]);

    /// <summary>10,000 leads from a table, on all cores.</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public double[] TenThousandLeads() => _package.Scorer.Score(_table);

    private LeadFeatures ToFeatures(int row)
    {
        var lead = new LeadFeatures(_table.Columns.Count);
        for (var f = 0; f < _table.Columns.Count; f++)
        {
            switch (_table.Columns[f])
            {
                case NumericColumn n:
                    lead.Numbers[f] = n.Values[row];
                    break;
                case CategoricalColumn c:
                    lead.Categories[f] = c.Values[row];
                    break;
            }
        }

        return lead;
    }
}
