using System.Net;
using System.Text;
using System.Text.Json;

namespace LeadScoring.Server.Tests.Support;

/// <summary>Small helpers to send raw JSON and read problem details.</summary>
internal static class Json
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, string ContentType)> PostAsync(HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    /// <summary>The messages for one field in a validation problem's "errors".</summary>
    public static string[] Errors(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var list)
            ? list.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];

    /// <summary>A complete, valid simulated lead as JSON.</summary>
    public static string SimulatedLead(string id = "lead-1", string? overrideFeature = null, string? overrideValue = null)
    {
        var features = new Dictionary<string, string>
        {
            ["lead_source"] = "\"referral\"",
            ["lead_origin"] = "\"form\"",
            ["total_visits"] = "4",
            ["time_on_site_sec"] = "620",
            ["pages_per_visit"] = "2.5",
            ["last_activity"] = "\"chat_conversation\"",
            ["occupation"] = "\"professional\"",
            ["country"] = "\"india\"",
            ["company_size"] = "null",
            ["do_not_email"] = "false",
            ["requested_demo"] = "true",
        };
        if (overrideFeature is not null)
        {
            if (overrideValue is null)
            {
                features.Remove(overrideFeature);
            }
            else
            {
                features[overrideFeature] = overrideValue;
            }
        }

        return $"{{\"lead_id\": \"{id}\", \"features\": {{{string.Join(", ", features.Select(f => $"\"{f.Key}\": {f.Value}"))}}}}}";
    }
}
