using System.Text.Json;

namespace LeadScoring.Application.Monitoring;

/// <summary>
/// A monitoring run's summary (its SummaryJson): the window's report document, and what the run knew around it:
/// whether the window's labels had matured (and the conversion delay that decides it), operations, the estimate
/// and realised figures reconciled, or the error of a failed run.
/// </summary>
/// <param name="LabelsMature">True once the window ended at least the P90 conversion delay ago: its realised figures are final.</param>
/// <param name="LabelDelayP90Hours">The P90 conversion delay at the run, in hours; null when no outcome has a delay yet.</param>
/// <param name="OutcomesReceived">Outcomes received by the run's time (every model's): 0 means the outcome feed is missing.</param>
/// <param name="RealisedFigures">"final", or "partial" while labels are immature (those figures are named "partial_…").</param>
/// <param name="Notes">Sentences a reader should see first (immature labels, missing outcomes, no leads, a failed quality check).</param>
/// <param name="Reconciliation">Estimate against realised figures once labels matured; null before, or when either is missing.</param>
/// <param name="Operations">Requests, latency and errors of the scope; null for a failed run.</param>
/// <param name="Report">The window's full report; null for a failed run.</param>
/// <param name="Error">Why the run failed; null unless it did.</param>
public sealed record MonitoringRunSummary(
    bool LabelsMature,
    double? LabelDelayP90Hours,
    long OutcomesReceived,
    string RealisedFigures,
    IReadOnlyList<string> Notes,
    MonitoringReconciliation? Reconciliation,
    MonitoringRunOperations? Operations,
    WindowReportDocument? Report,
    string? Error)
{
    /// <summary>The summary as stored (JSON with <see cref="MonitoringJson.Options"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, MonitoringJson.Options);

    /// <summary>Reads whether a stored summary said its labels were mature (false for anything else).</summary>
    public static bool ReadLabelsMature(string summaryJson)
    {
        try
        {
            using var document = JsonDocument.Parse(summaryJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("labels_mature", out var mature)
                && mature.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>A matured window's estimate beside its realised figures; the gaps are estimated − realised.</summary>
/// <param name="ReconcilesRunId">The window's first (immature) run this run re-evaluates; null when the window was mature at its first run.</param>
/// <param name="EstimatedRocAuc">CBPE's ROC AUC.</param>
/// <param name="RealisedRocAuc">The realised ROC AUC.</param>
/// <param name="AucGap">Estimated − realised ROC AUC.</param>
/// <param name="EstimatedPositiveRate">The expected conversion rate (mean calibrated score).</param>
/// <param name="RealisedPositiveRate">The realised conversion rate of the labelled leads.</param>
/// <param name="PositiveRateGap">Estimated − realised positive rate.</param>
public sealed record MonitoringReconciliation(
    long? ReconcilesRunId,
    double EstimatedRocAuc,
    double RealisedRocAuc,
    double AucGap,
    double EstimatedPositiveRate,
    double RealisedPositiveRate,
    double PositiveRateGap);

/// <summary>A scope's operations in a window.</summary>
/// <param name="Requests">Scores logged in the window (prediction log).</param>
/// <param name="LatencyP50Milliseconds">Median logged scoring latency.</param>
/// <param name="LatencyP95Milliseconds">95th percentile.</param>
/// <param name="LatencyP99Milliseconds">99th percentile.</param>
/// <param name="CountedRequests">Requests the deployment arms' minute counters saw for this version and arm (null when no deployment counted it in the window).</param>
/// <param name="Errors">Failed requests those counters saw (null likewise): failed requests write no log row, so errors come only from there.</param>
/// <param name="ErrorSource">Where the error figures come from, or why there are none.</param>
public sealed record MonitoringRunOperations(
    long Requests,
    double? LatencyP50Milliseconds,
    double? LatencyP95Milliseconds,
    double? LatencyP99Milliseconds,
    long? CountedRequests,
    long? Errors,
    string ErrorSource);
