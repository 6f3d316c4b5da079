namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// The tests that run real retraining (LightGBM with the retraining default of one thread) run alone: LightGBM sets the
/// process-wide OpenMP thread count, and a training with another count at the same time (the other test classes'
/// packages train with two) intermittently crashed the test host in native code (dotnet/machinelearning#4918).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RetrainingTrainingCollection
{
    public const string Name = "retraining training";
}
