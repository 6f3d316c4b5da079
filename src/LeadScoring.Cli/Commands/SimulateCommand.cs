using System.CommandLine;
using System.Globalization;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore simulate`: writes simulated leads with a known ground truth.</summary>
internal static class SimulateCommand
{
    /// <summary>The most leads one run writes (about 2 GB of CSV).</summary>
    public const int MaxRows = 10_000_000;

    public static Command Create()
    {
        var rows = CliOptions.RequiredInt("--rows", $"Number of leads to write (1 to {MaxRows:N0})", 1, MaxRows);
        var seed = CliOptions.Int("--seed", "Random seed: the same seed writes the same file", int.MinValue, int.MaxValue, 42);
        var scenario = new Option<string>("--scenario") { Description = "The simulated world", DefaultValueFactory = _ => "baseline" };
        scenario.AcceptOnlyFromAmong([.. ScenarioNames.All.Keys]);
        var output = new Option<string>("--out") { Description = "Output file (.csv or .parquet)", Required = true }.WithExtensions(".csv", ".parquet");
        var start = new Option<DateTimeOffset?>("--start") { Description = "Arrival time of the first lead (default 2026-01-05T00:00:00Z)" };
        var days = CliOptions.Int("--days", "Leads arrive over this many days (1 to 3650)", 1, 3650, 90);

        var command = new Command("simulate", "Write realistic simulated leads (features, conversion drawn from a known ground truth, revenue)")
        {
            rows, seed, scenario, output, start, days,
        };
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            var options = new SimulationOptions(
                result.GetValue(rows),
                result.GetValue(seed),
                ScenarioNames.Parse(result.GetValue(scenario)!),
                result.GetValue(start),
                result.GetValue(days));
            var leads = LeadSimulator.Generate(options);
            var path = result.GetValue(output)!;
            LeadFile.Write(path, leads.Table, [(new OutputColumn("sales_status", ColumnKind.Text), leads.SalesStatus)]);
            var rate = leads.Table.Labels!.Count(l => l) / (double)Math.Max(1, leads.Table.Count);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {leads.Table.Count} leads ({ScenarioNames.Name(options.Scenario)}, seed {options.Seed}, conversion {rate:P1}) to {path}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
