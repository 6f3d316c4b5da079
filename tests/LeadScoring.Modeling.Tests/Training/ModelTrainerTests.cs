using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Tests.Support;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

public sealed class ModelTrainerTests
{
    private static readonly LeadTable Leads = LeadSimulator.Generate(new SimulationOptions(2500, Seed: 21)).Table;

    [Fact]
    public void Data_with_a_timestamp_is_split_by_time()
    {
        var trained = ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null));

        Assert.Equal("time", trained.Metadata.Data.Split);
        Assert.Equal(Leads.Timestamps![^500], trained.Metadata.Data.TestFrom);
    }

    [Fact]
    public void The_same_data_and_seed_train_the_same_model()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var a = ModelPackage.Write(ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null)), Path.Combine(dir, "a"));
            var b = ModelPackage.Write(ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null)), Path.Combine(dir, "b"));
            var probe = LeadSimulator.Generate(new SimulationOptions(300, Seed: 3)).Table;

            Assert.Equal(a.Metrics.Auc, b.Metrics.Auc);
            Assert.Equal(ModelPackage.Load(Path.Combine(dir, "a")).Scorer.Score(probe), ModelPackage.Load(Path.Combine(dir, "b")).Scorer.Score(probe));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Too_few_rows_are_refused_with_a_reason()
    {
        var tiny = Leads.Select(Enumerable.Range(0, 30).ToArray());

        var error = Assert.Throws<LeadDataException>(() => ModelTrainer.Train(tiny, TrainedModels.Quick, new DataSource(null, null)));

        Assert.Contains("only 30 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlabelled_data_cannot_be_trained_on()
    {
        var unlabelled = new LeadTable(Leads.Schema, Leads.Columns, Leads.Ids, Leads.Timestamps, labels: null, Leads.Revenue);

        var error = Assert.Throws<LeadDataException>(() => ModelTrainer.Train(unlabelled, TrainedModels.Quick, new DataSource(null, null)));

        Assert.Contains("no label column 'converted'", error.Message, StringComparison.Ordinal);
    }
}
