using LeadScoring.Core.Schema;
using LeadScoring.Server.Scoring;
using LeadScoring.Server.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScoring.Server.Models;

/// <summary>GET /model: what the service scores with, and what a request must contain.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapServedModel(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/model").WithTags("Model");
        group.MapGet("", GetServedModel)
            .WithSummary("The served model")
            .WithDescription("Name, version, stage and schema (feature names and types) of the model behind /score-lead, its held-out metrics and the score bands.");
        return group;
    }

    internal static Results<Ok<ServedModelResponse>, ProblemHttpResult> GetServedModel(ServingState serving, LeadScoringService scoring)
    {
        if (serving.Snapshot?.Champion is not { } model)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No model is being served", detail: "No Production model is loaded yet; see /health/ready.");
        }

        var metadata = model.Package.Metadata;
        var schema = metadata.Schema;
        return TypedResults.Ok(new ServedModelResponse(
            model.Name,
            model.Version,
            "Production",
            model.LoadedAt,
            metadata.CreatedAt,
            metadata.CodeVersion,
            new SchemaResponse(
                schema.Name,
                schema.Features.Select(f => new FeatureResponse(f.Name, SchemaJson.TypeName(f.Type), f.Type == FeatureType.Categorical ? metadata.Vocabulary.GetValueOrDefault(f.Name) : null)).ToList(),
                schema.MissingValues),
            new MetricsResponse(metadata.Metrics.Auc, metadata.Metrics.PrAuc, metadata.Metrics.LogLoss, metadata.Metrics.Brier, metadata.Metrics.Threshold, metadata.Baseline.Auc),
            scoring.Buckets.Buckets.Select(b => new BucketResponse(b.Name, b.MinScore)).ToList()));
    }
}

/// <summary>The served model.</summary>
public sealed record ServedModelResponse(
    string Name,
    int Version,
    string Stage,
    DateTimeOffset LoadedAt,
    DateTimeOffset TrainedAt,
    string CodeVersion,
    SchemaResponse Schema,
    MetricsResponse Metrics,
    IReadOnlyList<BucketResponse> Buckets);

/// <summary>What a scoring request must contain.</summary>
/// <param name="Name">The schema's name.</param>
/// <param name="Features">Every feature, in order, with its type; categorical ones list the categories the model knows (others count as "other").</param>
/// <param name="MissingValues">Strings treated as missing for categorical features (null always is).</param>
public sealed record SchemaResponse(string Name, IReadOnlyList<FeatureResponse> Features, IReadOnlyList<string> MissingValues);

/// <summary>One feature: name, type (numeric, categorical, boolean) and known categories.</summary>
public sealed record FeatureResponse(string Name, string Type, IReadOnlyList<string>? KnownCategories);

/// <summary>Held-out metrics from training.</summary>
public sealed record MetricsResponse(double Auc, double PrAuc, double LogLoss, double Brier, double Threshold, double BaselineAuc);

/// <summary>A score band.</summary>
public sealed record BucketResponse(string Name, double MinScore);
