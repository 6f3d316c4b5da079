using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using LeadScoring.Server.Predictions;
using LeadScoring.Server.Tests.Support;
using LeadScoring.Storage;
using LeadScoring.Storage.Predictions;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>Reads what a service logged, the way another process would: its own PredictionLog on the same store.</summary>
internal static class LoggedPredictions
{
    private static readonly PredictionRange Everything = new(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static async Task<List<StoredPrediction>> ReadAllAsync(StorageOptions storage)
    {
        await using var log = PredictionLogFactory.Create(storage);
        var rows = new List<StoredPrediction>();
        await foreach (var row in log.ReadRangeAsync(Everything))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The "predictions" entry of /health/ready: (status, description).</summary>
    public static async Task<(string? Status, string? Description)> ReadinessAsync(RunningService service)
    {
        using var response = await service.Client.GetAsync("/health/ready");
        var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("predictions");
        return (entry.GetProperty("status").GetString(), entry.GetProperty("description").GetString());
    }

    /// <summary>Posts one simulated lead with a request id of the caller's; the status and the body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ScoreAsync(HttpClient client, string leadId, string requestId, string path = "/score-lead", string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body ?? Json.SimulatedLead(leadId), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Request-Id", requestId);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }
}

/// <summary>Sums what one service's "LeadScoring.Predictions" instruments report (other services in the test process are ignored).</summary>
internal sealed class PredictionMetricsCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _sums = [];
    private readonly List<int> _batchSizes = [];

    public PredictionMetricsCapture(RunningService service)
    {
        var meter = service.Services.GetRequiredService<IMeterFactory>().Create(PredictionLogMetrics.MeterName);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_sums)
            {
                _sums[instrument.Name] = _sums.GetValueOrDefault(instrument.Name) + value;
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (_sums)
            {
                _batchSizes.Add(value);
            }
        });
        _listener.Start();
    }

    public long Sum(string instrument)
    {
        lock (_sums)
        {
            return _sums.GetValueOrDefault(instrument);
        }
    }

    public int[] BatchSizes()
    {
        lock (_sums)
        {
            return [.. _batchSizes];
        }
    }

    public void Dispose() => _listener.Dispose();
}
