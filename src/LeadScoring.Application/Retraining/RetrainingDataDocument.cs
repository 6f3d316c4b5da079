using System.Text.Json;

namespace LeadScoring.Application.Retraining;

/// <summary>What a run trained on (its DataJson): where the leads came from, the snapshot that keeps them, and their span.</summary>
/// <param name="Source">"logs" (the prediction log joined to outcomes) or "file".</param>
/// <param name="File">The data file's name, for a file run.</param>
/// <param name="FileSha256">The data file's SHA-256, for a file run.</param>
/// <param name="SnapshotFile">The Parquet snapshot the run trained from.</param>
/// <param name="Sha256">The snapshot's SHA-256: the run is reproduced from the file with this hash.</param>
/// <param name="Bytes">The snapshot's size.</param>
/// <param name="Rows">Labelled leads.</param>
/// <param name="Positives">Of those, converted.</param>
/// <param name="From">The earliest lead's time.</param>
/// <param name="To">The latest lead's time.</param>
/// <param name="KnownBy">Outcomes as known at this time (logs only).</param>
/// <param name="DelayP90Hours">The P90 conversion delay that decided maturity (logs only).</param>
/// <param name="Skipped">Logged leads whose features could not be read with the model's schema.</param>
public sealed record RetrainingDataDocument(
    string Source,
    string? File,
    string? FileSha256,
    string? SnapshotFile,
    string? Sha256,
    long? Bytes,
    long Rows,
    long Positives,
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateTimeOffset? KnownBy,
    double? DelayP90Hours,
    long Skipped)
{
    /// <summary>As stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RetrainingJson.Options);

    /// <summary>Reads a stored document.</summary>
    public static RetrainingDataDocument Parse(string json) =>
        JsonSerializer.Deserialize<RetrainingDataDocument>(json, RetrainingJson.Options) ?? throw new JsonException("the data document is null");
}
