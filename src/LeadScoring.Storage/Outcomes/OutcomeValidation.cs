namespace LeadScoring.Storage.Outcomes;

/// <summary>The rules every stored outcome meets, checked before anything is written.</summary>
public static class OutcomeValidation
{
    /// <summary>Longest lead id (the scoring endpoints' limit).</summary>
    public const int MaxLeadIdLength = 200;

    /// <summary>Longest source name.</summary>
    public const int MaxSourceLength = 200;

    /// <summary>
    /// Checks <paramref name="outcome"/> (item <paramref name="index"/> of a batch): a lead id of 1 to 200
    /// characters, and revenue only on a converted lead, finite and not negative. Throws
    /// <see cref="InvalidOutcomeException"/> naming the item and the field (the first problem of <see cref="Problems"/>).
    /// </summary>
    public static void Validate(OutcomeRecord? outcome, int index)
    {
        if (outcome is null)
        {
            throw new InvalidOutcomeException(index, "lead_id", "is required (the item is null)");
        }

        foreach (var (field, problem) in Problems(outcome))
        {
            throw new InvalidOutcomeException(index, field, problem);
        }
    }

    /// <summary>
    /// Every rule <paramref name="outcome"/> breaks, as (field, problem) with the field named as the API names it
    /// ("lead_id", "revenue"): what <see cref="Validate"/> refuses, for callers that report all problems at once.
    /// </summary>
    public static IEnumerable<(string Field, string Problem)> Problems(OutcomeRecord outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (string.IsNullOrWhiteSpace(outcome.LeadId))
        {
            yield return ("lead_id", "must be a non-empty string");
        }
        else if (outcome.LeadId.Length > MaxLeadIdLength)
        {
            yield return ("lead_id", $"must be at most {MaxLeadIdLength} characters");
        }

        if (outcome.Revenue is double revenue)
        {
            if (!double.IsFinite(revenue))
            {
                yield return ("revenue", "must be a finite number");
            }
            else if (revenue < 0)
            {
                yield return ("revenue", "must not be negative");
            }
            else if (!outcome.Converted)
            {
                yield return ("revenue", "must be null when the lead did not convert");
            }
        }
    }

    /// <summary>A time as the store keeps it: UTC, truncated to microseconds (what PostgreSQL keeps).</summary>
    public static DateTimeOffset ToStoredTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    internal static void ValidateLeadId(string leadId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leadId);
        if (leadId.Length > MaxLeadIdLength)
        {
            throw new ArgumentException($"a lead id has at most {MaxLeadIdLength} characters", nameof(leadId));
        }
    }

    /// <summary>
    /// Checks the batch and splits it into rounds of distinct leads, in order: round k holds each lead's (k+1)-th
    /// item, so writing the rounds one after another is the same as writing the items one by one.
    /// </summary>
    internal static List<OutcomeRecord[]> Prepare(IReadOnlyList<OutcomeRecord> outcomes, string source)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (source.Length > MaxSourceLength)
        {
            throw new ArgumentException($"a source has at most {MaxSourceLength} characters", nameof(source));
        }

        var seen = new Dictionary<string, int>(outcomes.Count, StringComparer.Ordinal);
        var rounds = new List<List<OutcomeRecord>>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            Validate(outcome, i);
            var round = seen.GetValueOrDefault(outcome.LeadId);
            seen[outcome.LeadId] = round + 1;
            if (round == rounds.Count)
            {
                rounds.Add(new List<OutcomeRecord>(round == 0 ? outcomes.Count : 4));
            }

            // A copy only when the time is not already as stored (UTC, whole microseconds): imports hold millions.
            var stored = ToStoredTime(outcome.OccurredAt);
            rounds[round].Add(stored.EqualsExact(outcome.OccurredAt) ? outcome : outcome with { OccurredAt = stored });
        }

        return rounds.ConvertAll(r => r.ToArray());
    }
}
