using System.Text;
using LeadScoring.Core.Monitoring;
using LeadScoring.Core.Monitoring.Investigation;

namespace LeadScoring.Application.Monitoring.Investigation;

/// <summary>
/// The wire form of an investigation: what <c>GET /monitoring/investigation</c> returns and
/// <c>leadscore investigate --json</c> prints (snake_case, <see cref="MonitoringJson.Options"/>).
/// </summary>
/// <param name="Model">The model investigated.</param>
/// <param name="Version">Its Production version.</param>
/// <param name="From">Start of the period.</param>
/// <param name="To">End of the period (now).</param>
/// <param name="Cause">none, integration_issue, data_drift, concept_drift, model_issue or insufficient_data.</param>
/// <param name="Explanation">Why that cause, with the evidence.</param>
/// <param name="Action">The recommended action.</param>
/// <param name="Findings">One per checklist item, in order.</param>
/// <param name="Report">The period's monitoring report; null when no lead was scored.</param>
public sealed record InvestigationDocument(
    string Model,
    int Version,
    DateTimeOffset From,
    DateTimeOffset To,
    string Cause,
    string Explanation,
    string Action,
    IReadOnlyList<FindingDocument> Findings,
    WindowReportDocument? Report)
{
    /// <summary>Maps a result to its wire form.</summary>
    public static InvestigationDocument Of(string model, int version, DateTimeOffset from, DateTimeOffset to, InvestigationResult result, WindowReport? report)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new InvestigationDocument(
            model,
            version,
            from,
            to,
            CauseName(result.Cause),
            result.Explanation,
            result.Action,
            result.Findings.Select(f => new FindingDocument(f.Check, f.Status.ToString().ToLowerInvariant(), f.Summary, f.Evidence)).ToList(),
            report is null ? null : WindowReportDocument.From(report));
    }

    /// <summary>The wire name of a cause.</summary>
    public static string CauseName(RootCause cause) => cause switch
    {
        RootCause.None => "none",
        RootCause.IntegrationIssue => "integration_issue",
        RootCause.DataDrift => "data_drift",
        RootCause.ConceptDrift => "concept_drift",
        RootCause.ModelIssue => "model_issue",
        _ => "insufficient_data",
    };

    /// <summary>The investigation as text for a terminal: the findings with their evidence, then the cause and the action.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append($"Investigation of {Model} v{Version}, {From:yyyy-MM-dd HH:mm} to {To:yyyy-MM-dd HH:mm} UTC\n\n");
        foreach (var finding in Findings)
        {
            text.Append($"[{finding.Status}] {finding.Check}: {finding.Summary}\n");
            foreach (var line in finding.Evidence)
            {
                text.Append($"    {line}\n");
            }
        }

        text.Append($"\nLikely root cause: {Cause.Replace('_', ' ')}\n  {Explanation}\nRecommended action:\n  {Action}\n");
        return text.ToString();
    }
}

/// <summary>One checklist item.</summary>
/// <param name="Check">The item.</param>
/// <param name="Status">ok, warning, problem or unknown.</param>
/// <param name="Summary">The result in a sentence.</param>
/// <param name="Evidence">The figures behind it.</param>
public sealed record FindingDocument(string Check, string Status, string Summary, IReadOnlyList<string> Evidence);
