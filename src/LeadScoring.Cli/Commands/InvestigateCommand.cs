using System.CommandLine;
using System.Text.Json;
using LeadScoring.Application.Monitoring;
using LeadScoring.Application.Monitoring.Investigation;
using LeadScoring.Storage.Deployments;
using LeadScoring.Storage.Feedback;
using LeadScoring.Storage.Monitoring;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>
/// `leadscore investigate [--model NAME] [--days N] [--json]`: the seed's checklist for "the scores no longer help us
/// prioritise leads" on the store's real data, with the likely root cause and the recommended action (the same as
/// GET /monitoring/investigation).
/// </summary>
internal static class InvestigateCommand
{
    private static readonly JsonSerializerOptions Json = new(MonitoringJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "The model (default: the only one with a version in Production)" };
        var days = CliOptions.Int("--days", $"The period investigated, in days up to now (1 to {InvestigationRequest.MaxDays})", 1, InvestigationRequest.MaxDays, 14);
        var json = new Option<bool>("--json") { Description = "Print the investigation as JSON (the API's document)" };
        var store = StoreOptions.Create();
        var command = new Command("investigate", "Find out why the scores stopped helping: service, changes, outcomes, data quality, drift, bands, performance, calibration, capacity; the likely cause and what to do")
        {
            model, days, json,
        };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, stderr) =>
        {
            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var investigation = new InvestigationUseCase(
                services.GetRequiredService<IModelRegistry>(),
                services.GetRequiredService<MonitoringStore>(),
                services.GetRequiredService<FeedbackReader>(),
                services.GetRequiredService<DeploymentStore>(),
                services.GetRequiredService<TimeProvider>());
            InvestigationDocument document;
            try
            {
                document = await investigation.InvestigateAsync(new InvestigationRequest(result.GetValue(model), result.GetValue(days)), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (InvestigationTargetException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Refused;
            }
            catch (ArgumentException e) when (e.ParamName == "model")
            {
                await stderr.WriteLineAsync($"error: --model: {e.Message.Split(" (Parameter", 2)[0]}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            await stdout.WriteAsync(result.GetValue(json) ? JsonSerializer.Serialize(document, Json) + Environment.NewLine : document.ToText()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
