namespace LeadScoring.Cli.Tests.Commands;

/// <summary>
/// The retrain command's tests run alone, after the parallel ones: their run trains LightGBM with the retraining default
/// of one thread, and LightGBM's process-wide thread count makes a training with another count at the same time (the
/// other command tests train with two) crash the test host now and then (dotnet/machinelearning#4918; one CI run).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RetrainingTrainingCollection
{
    public const string Name = "retraining training";
}
