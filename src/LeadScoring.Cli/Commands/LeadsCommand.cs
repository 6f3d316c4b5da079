using System.CommandLine;
using System.Globalization;
using System.Text;
using LeadScoring.Application.Predictions;
using LeadScoring.Core.Scoring;
using LeadScoring.Storage;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore leads replay LEAD_ID`: the lead's logged scores re-scored by the versions that made them, and by today's Production version.</summary>
internal static class LeadsCommand
{
    public static Command Create() => new("leads", "Look into one lead's logged predictions")
    {
        Replay(),
    };

    private static Command Replay()
    {
        var lead = new Argument<string>("lead-id") { Description = "The lead's id, as it was scored" };
        var buckets = new Option<string>("--buckets") { Description = "Score bands for today's scores, as name:cut-off pairs", DefaultValueFactory = _ => ScoreBuckets.Default.ToString() };
        var store = StoreOptions.Create();
        var command = new Command("replay", "Re-score every logged prediction of a lead with the exact version that scored it, and with today's Production version") { lead, buckets };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            var bands = ScoreBuckets.Parse(result.GetValue(buckets)!);
            var id = result.GetValue(lead)!;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new InvalidInputException("the lead id must not be blank");
            }

            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            PredictionsCommand.RequireExistingLog(services.GetRequiredService<IOptions<StorageOptions>>().Value);
            var replayed = await ActivatorUtilities.CreateInstance<LeadReplay>(services).ReplayAsync(id, bands, cancellationToken).ConfigureAwait(false);
            if (replayed.Count == 0)
            {
                throw new RegistryException(RegistryErrorKind.NotFound, $"lead '{id}' was never scored (no logged prediction to replay)");
            }

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"{"SCORED AT (UTC)",-19}  {"MODEL",-24}  {"LOGGED",-15}  {"REPLAYED",-8}  {"MATCH",-5}  TODAY");
            foreach (var r in replayed)
            {
                var logged = r.Logged.Record;
                var today = r.CurrentScore is double current ? $"v{r.CurrentVersion}: {current:F6} {r.CurrentBand}" : r.CurrentProblem;
                text.AppendLine(CultureInfo.InvariantCulture, $"{logged.ScoredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {$"{logged.ModelName} v{logged.ModelVersion}",-24}  {$"{logged.Score:F6} {logged.Band}",-15}  {(r.ReplayedScore is double s ? s.ToString("F6", CultureInfo.InvariantCulture) : "-"),-8}  {r.Matches switch { true => "yes", false => "NO", null => "-" },-5}  {today}");
                if (r.ReplayProblem is not null)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  not replayed: {r.ReplayProblem}");
                }
            }

            var matched = replayed.Count(r => r.Matches == true);
            text.AppendLine(CultureInfo.InvariantCulture, $"{matched} of {replayed.Count} logged scores reproduced exactly");
            await stdout.WriteAsync(text.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
