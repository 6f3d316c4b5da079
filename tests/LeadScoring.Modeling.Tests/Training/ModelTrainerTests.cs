using LeadScoring.Core.Data;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Tests.Support;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Modeling.Tests.Training;

public sealed class ModelTrainerTests
{
    private static readonly LeadTable Leads = LeadSimulator.Generate(new SimulationOptions(2500, Seed: 21)).Table;

    [Fact]
    public void Data_with_a_timestamp_is_split_by_time()
    {
        var trained = ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System);

        Assert.Equal("time", trained.Metadata.Data.Split);
        Assert.Equal(Leads.Timestamps![^500], trained.Metadata.Data.TestFrom);
    }

    [Fact]
    public void The_same_data_and_seed_train_the_same_model()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var a = ModelPackage.Write(ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System), Path.Combine(dir, "a"));
            var b = ModelPackage.Write(ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System), Path.Combine(dir, "b"));
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

        var error = Assert.Throws<LeadDataException>(() => ModelTrainer.Train(tiny, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System));

        Assert.Contains("only 30 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlabelled_data_cannot_be_trained_on()
    {
        var unlabelled = new LeadTable(Leads.Schema, Leads.Columns, Leads.Ids, Leads.Timestamps, labels: null, Leads.Revenue);

        var error = Assert.Throws<LeadDataException>(() => ModelTrainer.Train(unlabelled, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System));

        Assert.Contains("no label column 'converted'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_created_time_comes_from_the_given_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero));

        var trained = ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), clock);

        Assert.Equal(clock.GetUtcNow(), trained.Metadata.CreatedAt);
    }

    [Fact]
    public void A_cancelled_token_stops_training()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Cancelling_during_training_stops_at_the_next_stage()
    {
        using var cancel = new CancellationTokenSource();
        var lines = new List<string>();
        // Cancels as the first calibration fold starts: the trainer must stop before the second.
        var progress = new CallbackProgress(line =>
        {
            lines.Add(line);
            if (line.StartsWith("calibration fold 1/", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System, progress: progress, cancellationToken: cancel.Token));
        Assert.Contains(lines, l => l.StartsWith("calibration fold 1/", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("calibration fold 2/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 120, 0.08, "Leaves")]
    [InlineData(15, 0, 0.08, "Iterations")]
    [InlineData(15, 120, 0.0, "LearningRate")]
    [InlineData(15, 120, 1.5, "LearningRate")]
    [InlineData(15, 120, double.NaN, "LearningRate")]
    public void Settings_LightGBM_would_reject_are_refused_before_training(int leaves, int iterations, double learningRate, string named)
    {
        var options = TrainedModels.Quick with { LightGbm = new LightGbmSettings(Leaves: leaves, Iterations: iterations, LearningRate: learningRate) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelTrainer.Train(Leads, options, new DataSource(null, null), TimeProvider.System));

        Assert.Equal(named, error.ParamName);
    }

    [Fact]
    public void A_package_built_in_memory_archives_to_the_same_bytes_as_its_folder()
    {
        var trained = ModelTrainer.Train(Leads, TrainedModels.Quick, new DataSource(null, null), TimeProvider.System);
        var contents = ModelPackage.Pack(trained);
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            contents.WriteTo(dir);

            var inMemory = contents.ToArchive();

            Assert.Equal(ModelPackage.Archive(dir), inMemory);
            Assert.Equal(contents.Metadata.Files["model.zip"], ModelPackage.Load(inMemory).Metadata.Files["model.zip"]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // Progress<T> posts to the thread pool; these tests need the lines in order, on the training thread.
    private sealed class CallbackProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
