using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeadScoring.Storage.Registry;

/// <summary>
/// The rules for the names a caller hands the registry. Every violation is a
/// <see cref="RegistryException"/> of kind <see cref="RegistryErrorKind.Invalid"/> whose message names the field.
/// </summary>
public static partial class RegistryNames
{
    /// <summary>Longest model name.</summary>
    public const int MaxModelNameLength = 100;

    /// <summary>Longest alias.</summary>
    public const int MaxAliasLength = 64;

    /// <summary>Longest actor name.</summary>
    public const int MaxActorLength = 200;

    /// <summary>
    /// True for 1–100 ASCII letters, digits, '-', '_' or '.', not made of dots only ("." and ".." would be
    /// path segments in a URL). Names are case-sensitive.
    /// </summary>
    public static bool IsValidModelName(string? name) =>
        name is not null && ModelNamePattern().IsMatch(name) && name.Trim('.').Length > 0;

    /// <summary>True for a lowercase letter followed by up to 63 of a-z, 0-9, '_' or '-'.</summary>
    public static bool IsValidAlias(string? alias) => alias is not null && AliasPattern().IsMatch(alias);

    internal static void ValidateModelName(string? name, string field = "modelName")
    {
        if (!IsValidModelName(name))
        {
            throw Invalid(field, name, $"1–{MaxModelNameLength} letters, digits, '-', '_' or '.' (not dots only)");
        }
    }

    internal static void ValidateAlias(string? alias, string field = "alias")
    {
        if (!IsValidAlias(alias))
        {
            throw Invalid(field, alias, $"a lowercase letter followed by up to {MaxAliasLength - 1} of a-z, 0-9, '_' or '-'");
        }
    }

    internal static void ValidateVersion(int version, string field = "version")
    {
        if (version < 1)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, string.Create(CultureInfo.InvariantCulture, $"{field} {version} is invalid: versions are numbered from 1"));
        }
    }

    internal static void ValidateActor(string? actor, string field = "actor")
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"{field} is required (1–{MaxActorLength} characters, not blank)");
        }
    }

    internal static void ValidateStage(ModelStage stage, string field = "stage")
    {
        if (!Enum.IsDefined(stage))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, string.Create(CultureInfo.InvariantCulture, $"{field} {(int)stage} is not a known stage"));
        }
    }

    internal static void ValidateLimit(int limit, string field = "limit")
    {
        if (limit < 1)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, string.Create(CultureInfo.InvariantCulture, $"{field} must be 1 or more (got {limit})"));
        }
    }

    internal static void ValidateNewVersion(NewModelVersion request)
    {
        ValidateModelName(request.ModelName, nameof(NewModelVersion.ModelName));
        ValidateActor(request.Actor, nameof(NewModelVersion.Actor));
        if (request.Package is null || request.Package.Length == 0)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"{nameof(NewModelVersion.Package)} is required and must not be empty");
        }

        if (string.IsNullOrWhiteSpace(request.MetadataJson))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"{nameof(NewModelVersion.MetadataJson)} is required");
        }

        try
        {
            using var document = JsonDocument.Parse(request.MetadataJson);
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"{nameof(NewModelVersion.MetadataJson)} is not valid JSON: {ex.Message}", ex);
        }

        if (request.Tags is not null)
        {
            foreach (var (key, value) in request.Tags)
            {
                if (string.IsNullOrWhiteSpace(key) || value is null)
                {
                    throw new RegistryException(RegistryErrorKind.Invalid, $"{nameof(NewModelVersion.Tags)} must have non-blank keys and non-null values");
                }
            }
        }
    }

    private static RegistryException Invalid(string field, string? value, string rule) =>
        new(RegistryErrorKind.Invalid, value is null ? $"{field} is required: use {rule}" : $"{field} '{value}' is invalid: use {rule}");

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,100}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex(@"\A[a-z][a-z0-9_-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();
}
