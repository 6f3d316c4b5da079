using System.Globalization;
using LeadScoring.Server.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Outcomes;

/// <summary>
/// The ingest key (section <see cref="SectionName"/>; env LEADSCORING_INGEST_KEY): a second key, besides the admin
/// key, that may post outcomes, so a CRM integration never holds the key that promotes models.
/// </summary>
public sealed class IngestOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Ingest";

    /// <summary>The key, sent as X-Api-Key (at least <see cref="AdminOptions.MinKeyLength"/> characters); none: only the admin key posts outcomes.</summary>
    public string? Key { get; set; }
}

/// <summary>Refuses a configured ingest key shorter than the admin key's minimum: a short key is guessable.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Key is { Length: > 0 } key && key.Trim().Length < AdminOptions.MinKeyLength
            ? ValidateOptionsResult.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{IngestOptions.SectionName}:{nameof(IngestOptions.Key)} must be at least {AdminOptions.MinKeyLength} characters (got {key.Trim().Length}); set a longer key, or none to post outcomes with the admin key only"))
            : ValidateOptionsResult.Success;
    }
}
