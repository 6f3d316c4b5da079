using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScoring.Application.Deployments;
using LeadScoring.Storage.Deployments;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore deploy status --model M | --id N [--analysis] [--json]`: a deployment, its audit trail and, on request, its experiment analysis.</summary>
internal static class DeployStatusCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "The model's active deployment (or, with none active, its latest)" };
        var id = new Option<long?>("--id") { Description = "One deployment by id" };
        id.CustomParser = DeployCommand.ParseId;
        var analysis = new Option<bool>("--analysis") { Description = "Add the experiment analysis: per-arm figures, differences with fixed and always-valid p-values, sample-ratio check, shadow agreement, recommendation" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (deployment, events, analysis: the API's analysis document)" };
        var store = StoreOptions.Create();
        var command = new Command("status", "Show a deployment, its audit trail and (with --analysis) whether the challenger is better") { model, id, analysis, json };
        store.AddTo(command);
        command.SetAction((result, cancellationToken) => DeployCommand.Run(result, async stdout =>
        {
            var (name, number) = (result.GetValue(model), result.GetValue(id));
            if ((name is null) == (number is null))
            {
                throw new InvalidInputException("give either --model NAME or --id N");
            }

            await using var services = CliHost.Build(result, store, StoreAccess.ReadOnly);
            var useCases = services.GetRequiredService<DeploymentUseCases>();
            var status = number is long n
                ? await useCases.GetStatusAsync(n, cancellationToken).ConfigureAwait(false)
                    ?? throw new DeploymentNotFoundException($"no deployment {n}") { DeploymentId = n }
                : await useCases.GetActiveStatusAsync(name!, cancellationToken).ConfigureAwait(false)
                    ?? await LatestAsync(services, name!, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                throw new DeploymentNotFoundException($"{name} has no deployments");
            }

            DeploymentAnalysisReport? report = null;
            if (result.GetValue(analysis) && status.Deployment.Mode != DeploymentMode.Single)
            {
                report = await services.GetRequiredService<DeploymentAnalysisUseCase>().AnalyzeAsync(status.Deployment.Id, null, cancellationToken).ConfigureAwait(false);
            }

            var text = result.GetValue(json)
                ? ToJson(status, report, result.GetValue(analysis)) + Environment.NewLine
                : DeployStatusText.Render(status, report, result.GetValue(analysis));
            await stdout.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<DeploymentStatus?> LatestAsync(IServiceProvider services, string model, CancellationToken cancellationToken)
    {
        var latest = await services.GetRequiredService<DeploymentStore>().ListAsync(model, 1, cancellationToken).ConfigureAwait(false);
        return latest.Count == 0 ? null : await services.GetRequiredService<DeploymentUseCases>().GetStatusAsync(latest[0].Id, cancellationToken).ConfigureAwait(false);
    }

    private static string ToJson(DeploymentStatus status, DeploymentAnalysisReport? report, bool analysisAsked)
    {
        var d = status.Deployment;
        var root = new JsonObject
        {
            ["deployment"] = JsonSerializer.SerializeToNode(
                new
                {
                    d.Id,
                    Model = d.ModelName,
                    Mode = DeploymentNames.Of(d.Mode),
                    State = DeploymentNames.Of(d.State),
                    d.ChampionVersion,
                    d.ChallengerVersion,
                    d.Share,
                    Steps = d.Steps.Select(s => new { s.Share, DurationSeconds = s.Duration?.TotalSeconds }).ToArray(),
                    Step = d.Mode == DeploymentMode.Canary ? d.Step : (int?)null,
                    d.StepStartedAt,
                    d.AutoPromote,
                    d.Reason,
                    d.CreatedAt,
                    d.CreatedBy,
                    d.UpdatedAt,
                    d.EndedAt,
                },
                Json),
            ["events"] = JsonSerializer.SerializeToNode(
                status.Events.Select(e => new { e.At, e.Actor, e.Action, e.Reason, Figures = e.FiguresJson is null ? null : JsonNode.Parse(e.FiguresJson) }).ToArray(),
                Json),
        };
        if (analysisAsked)
        {
            root["analysis"] = report is null ? null : JsonSerializer.SerializeToNode(DeploymentAnalysisDocument.Of(report), Json);
        }

        return root.ToJsonString(Json);
    }
}
