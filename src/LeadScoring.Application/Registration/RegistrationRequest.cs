namespace LeadScoring.Application.Registration;

/// <summary>A package archive to register, and who registers it why.</summary>
public sealed record RegistrationRequest(
    string ModelName,
    byte[] Archive,
    string Actor,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    string? Reason = null,
    bool AllowSchemaChange = false);
