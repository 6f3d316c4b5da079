namespace LeadScoring.Storage.Outcomes;

/// <summary>What the CRM says happened to a lead.</summary>
/// <param name="LeadId">The CRM's id for the lead (the id it was scored under).</param>
/// <param name="Converted">Whether the lead converted.</param>
/// <param name="Revenue">The revenue of a converted lead when known (finite, not negative); null otherwise.</param>
/// <param name="OccurredAt">When it happened; kept at microsecond precision, in UTC.</param>
public sealed record OutcomeRecord(string LeadId, bool Converted, double? Revenue, DateTimeOffset OccurredAt);

/// <summary>One stored version of a lead's outcome.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Converted">Whether the lead converted.</param>
/// <param name="Revenue">The revenue, or null.</param>
/// <param name="OccurredAt">When it happened (UTC, microseconds).</param>
/// <param name="ReceivedAt">When the store received this version (the store's clock).</param>
/// <param name="Source">Who sent it ("api:alice", "import:crm-2026-11.csv").</param>
/// <param name="ReplacedAt">When a later version replaced it; null for the current version (and for known-by reads).</param>
public sealed record StoredOutcome(
    string LeadId,
    bool Converted,
    double? Revenue,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Source,
    DateTimeOffset? ReplacedAt);

/// <summary>What one <see cref="OutcomeStore.RecordAsync"/> call did, item by item; the three add up to the batch size.</summary>
/// <param name="New">Items that gave a lead its first outcome.</param>
/// <param name="Replaced">Items that replaced a different outcome (the previous one went to the history).</param>
/// <param name="Unchanged">Items equal to the lead's outcome at that point (nothing written).</param>
public sealed record OutcomeBatchResult(int New, int Replaced, int Unchanged)
{
    /// <summary>Items in the batch.</summary>
    public int Total => New + Replaced + Unchanged;
}

/// <summary>Counts over the current outcomes.</summary>
/// <param name="Received">Leads with an outcome.</param>
/// <param name="Converted">Leads whose outcome is a conversion.</param>
/// <param name="TotalRevenue">The sum of the known revenues (0 when none).</param>
public sealed record OutcomeSummary(long Received, long Converted, double TotalRevenue)
{
    /// <summary>Converted / received; null before any outcome.</summary>
    public double? ConversionRate => Received == 0 ? null : (double)Converted / Received;
}
