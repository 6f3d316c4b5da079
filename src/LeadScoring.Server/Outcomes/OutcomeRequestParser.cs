using System.Globalization;
using System.Text.Json;
using LeadScoring.Core.Schema;
using LeadScoring.Storage.Outcomes;

namespace LeadScoring.Server.Outcomes;

/// <summary>
/// Turns a POST /outcomes body (one outcome object, or an array of them) into outcome records, collecting every
/// problem under the field it concerns ("converted" for a single object, "[3].converted" in an array). Types are
/// checked here; the rules of a stored outcome (lead id length, revenue) come from
/// <see cref="OutcomeValidation.Problems"/> and those of occurred_at from <see cref="OutcomeTimes"/>, as in the file
/// import. The document's strings are known to decode (the body reader checked them).
/// </summary>
internal static class OutcomeRequestParser
{
    /// <summary>An outcome's fields, in the API's names.</summary>
    public static readonly string[] Fields = ["lead_id", "converted", "revenue", "occurred_at"];

    private const string ExpectedObject = "must be an object with lead_id, converted, revenue (optional) and occurred_at";

    /// <summary>The outcomes, or null when <paramref name="errors"/> holds a problem.</summary>
    public static List<OutcomeRecord>? Parse(JsonElement root, int maxBatchSize, DateTimeOffset now, TimeSpan clockSkew, FieldErrors errors)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                var single = ParseItem(root, "", now, clockSkew, errors);
                return single is null ? null : [single];
            case JsonValueKind.Array:
                var count = root.GetArrayLength();
                if (count == 0 || count > maxBatchSize)
                {
                    errors.Add("body", count == 0
                        ? Invariant($"must hold 1 to {maxBatchSize} outcomes; the array is empty")
                        : Invariant($"holds {count} outcomes; the limit is {maxBatchSize} per request ({OutcomesOptions.SectionName}:{nameof(OutcomesOptions.MaxBatchSize)}): send them in several requests"));
                    return null;
                }

                var outcomes = new List<OutcomeRecord>(count);
                var index = 0;
                foreach (var element in root.EnumerateArray())
                {
                    if (ParseItem(element, Invariant($"[{index++}]"), now, clockSkew, errors) is { } outcome)
                    {
                        outcomes.Add(outcome);
                    }
                }

                return errors.Count == 0 ? outcomes : null;
            default:
                errors.Add("body", Invariant($"must be an outcome object or an array of 1 to {maxBatchSize} of them"));
                return null;
        }
    }

    /// <summary>The field's name in errors: <paramref name="field"/> for a single object, "[i].field" in an array.</summary>
    public static string Key(string prefix, string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";

    private static OutcomeRecord? ParseItem(JsonElement item, string prefix, DateTimeOffset now, TimeSpan clockSkew, FieldErrors errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.Length == 0 ? "body" : prefix, ExpectedObject);
            return null;
        }

        var before = errors.Count;
        string? leadId = null;
        bool? converted = null;
        double? revenue = null;
        DateTimeOffset? occurredAt = null;
        var seen = new bool[Fields.Length];
        foreach (var property in item.EnumerateObject())
        {
            var key = Key(prefix, property.Name);
            var field = Array.IndexOf(Fields, property.Name);
            if (field < 0)
            {
                var hint = NameSuggestions.Closest(property.Name, Fields);
                errors.Add(key, hint is null
                    ? "is not a field of an outcome (expected lead_id, converted, revenue and occurred_at)"
                    : $"is not a field of an outcome; did you mean '{hint}'?");
                continue;
            }

            if (seen[field])
            {
                errors.Add(key, "is given more than once");
                continue;
            }

            seen[field] = true;
            var value = property.Value;
            switch (field)
            {
                case 0 when value.ValueKind == JsonValueKind.String:
                    leadId = value.GetString();
                    break;
                case 0:
                    errors.Add(key, "must be a non-empty string");
                    break;
                case 1 when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    converted = value.ValueKind == JsonValueKind.True;
                    break;
                case 1:
                    errors.Add(key, "must be true or false");
                    break;
                case 2:
                    revenue = ParseRevenue(value, key, errors);
                    break;
                default:
                    occurredAt = ParseOccurredAt(value, key, now, clockSkew, errors);
                    break;
            }
        }

        if (!seen[0])
        {
            errors.Add(Key(prefix, "lead_id"), "is required (a non-empty string)");
        }

        if (!seen[1])
        {
            errors.Add(Key(prefix, "converted"), "is required (true or false)");
        }

        if (!seen[3])
        {
            errors.Add(Key(prefix, "occurred_at"), $"is required (an ISO 8601 date and time with a UTC offset, e.g. {OutcomeTimes.Example})");
        }

        // The stored outcome's rules on what could be read; an unknown converted is taken as true here so that only
        // a real "false" makes revenue a problem.
        var candidate = new OutcomeRecord(leadId ?? "-", converted ?? true, revenue, occurredAt ?? now);
        foreach (var (field, problem) in OutcomeValidation.Problems(candidate))
        {
            if (field != "lead_id" || leadId is not null)
            {
                errors.Add(Key(prefix, field), problem);
            }
        }

        return errors.Count == before ? candidate : null;
    }

    private static double? ParseRevenue(JsonElement value, string key, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number):
                return number;
            case JsonValueKind.Number:
                errors.Add(key, "must be a finite number (this one is too large for a double)");
                return null;
            default:
                errors.Add(key, "must be a number or null");
                return null;
        }
    }

    private static DateTimeOffset? ParseOccurredAt(JsonElement value, string key, DateTimeOffset now, TimeSpan clockSkew, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(key, $"must be a string: an ISO 8601 date and time with a UTC offset, e.g. {OutcomeTimes.Example}");
            return null;
        }

        if (!OutcomeTimes.TryParse(value.GetString(), out var occurredAt, out var problem))
        {
            errors.Add(key, problem);
            return null;
        }

        if (OutcomeTimes.Problem(occurredAt, now, clockSkew) is { } future)
        {
            errors.Add(key, future);
            return null;
        }

        return occurredAt;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
