using System.Reflection;
using BenchmarkDotNet.Running;
using LeadScoring.Benchmarks.Monitoring;
using LeadScoring.Benchmarks.Serving;
using LeadScoring.Benchmarks.Statistics;
using LeadScoring.Benchmarks.Training;

if (args.Length > 0 && args[0] == AaSimulationCommand.Name)
{
    AaSimulationCommand.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == FaultyChallengerHost.Name)
{
    await FaultyChallengerHost.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == MonitoringRunCommand.Name)
{
    await MonitoringRunCommand.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == SearchCommand.Name)
{
    SearchCommand.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
