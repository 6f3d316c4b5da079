using System.Globalization;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Training;
using LeadScoring.Server.Retraining;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Retraining;

/// <summary>The retraining thread really runs at a lower priority (its nice value as the kernel reports it), returns results and faults.</summary>
// In the server collection: its training (one thread) must not overlap the test packages' (two threads); LightGBM's
// process-wide thread count makes such an overlap crash the test host now and then (dotnet/machinelearning#4918).
[Collection(ServerCollection.Name)]
public sealed class LowPriorityComputeTests
{
    [Fact]
    public async Task Work_runs_on_a_thread_of_its_own_at_nice_10_on_linux_and_the_caller_keeps_its_priority()
    {
        var compute = new LowPriorityCompute();
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the thread runs at normal priority, and says so.
            await compute.RunAsync(() => 0, CancellationToken.None);
            Assert.False(compute.Lowered);
            return;
        }

        var (nice, thread) = await compute.RunAsync(() => (CurrentNice(), Environment.CurrentManagedThreadId), CancellationToken.None);

        Assert.Equal(LowPriorityCompute.Niceness, nice);
        Assert.True(compute.Lowered);
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
        Assert.Equal(0, CurrentNice());
    }

    [Fact]
    public async Task Training_a_model_on_it_leaves_no_thread_pool_worker_at_the_lowered_priority()
    {
        Assert.True(OperatingSystem.IsLinux(), "the service's low priority is Linux's per-thread nice value");
        var compute = new LowPriorityCompute();
        var table = LeadSimulator.Generate(new SimulationOptions(3_000, 5)).Table;

        var trained = await compute.RunAsync(
            () => ModelTrainer.Train(table, new TrainingOptions(Threads: 1), new DataSource(null, null), TimeProvider.System),
            CancellationToken.None);
        // Scoring and awaiting on the pool now: a worker started from the lowered thread would show up here.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Thread.Sleep(5))));

        Assert.True(compute.Lowered);
        Assert.True(trained.Metadata.Metrics.Auc > 0.5);
        var lowered = PoolWorkers().Where(w => w.Nice != 0).ToList();
        Assert.True(lowered.Count == 0, $"thread-pool workers at a lowered priority: {string.Join(", ", lowered)}");
    }

    [Fact]
    public async Task A_failure_or_a_cancellation_reaches_the_caller()
    {
        var compute = new LowPriorityCompute();

        await Assert.ThrowsAsync<InvalidOperationException>(() => compute.RunAsync<int>(() => throw new InvalidOperationException("broken"), CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => compute.RunAsync(() => 1, cancelled.Token));
    }

    // Field 19 of a thread's stat is its nice value.
    private static int CurrentNice() => Nice(File.ReadAllText("/proc/thread-self/stat"));

    private static int Nice(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19 - 3], CultureInfo.InvariantCulture);

    // The process's thread-pool workers (the runtime names them ".NET TP Worker") with their nice values.
    private static IEnumerable<(string Name, int Nice)> PoolWorkers()
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string name, stat;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }

            if (name.StartsWith(".NET TP", StringComparison.Ordinal))
            {
                yield return (name, Nice(stat));
            }
        }
    }
}
