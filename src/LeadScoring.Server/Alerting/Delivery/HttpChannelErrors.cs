using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Polly.Timeout;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>Turns an HTTP receiver's refusal or a transport failure into a channel error without secrets.</summary>
internal static class HttpChannelErrors
{
    private const int BodyExcerpt = 200;

    /// <summary>
    /// Posts <paramref name="body"/> as JSON to <paramref name="url"/>; returns when the receiver accepted it (202 only
    /// when <paramref name="only202"/>, else any 2xx), throws an <see cref="AlertChannelException"/> without secrets otherwise.
    /// </summary>
    public static async Task PostAsync(HttpClient client, string channel, Uri url, JsonObject body, bool only202, ChannelSecrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.PostAsJsonAsync(url, body, cancellationToken).ConfigureAwait(false);
            if (!IsAccepted(response.StatusCode, only202))
            {
                throw await RefusedAsync(channel, response, secrets, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (Failed(channel, e, secrets) is { } failure && !cancellationToken.IsCancellationRequested)
        {
            throw failure;
        }
    }

    public static async Task<AlertChannelException> RefusedAsync(string channel, HttpResponseMessage response, ChannelSecrets secrets, CancellationToken cancellationToken)
    {
        var body = "";
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The status says enough.
        }

        body = body.Length > BodyExcerpt ? body[..BodyExcerpt] + "…" : body;
        var status = string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        return new AlertChannelException(secrets.Scrub($"{channel} answered {status}{(body.Length > 0 ? ": " + body.ReplaceLineEndings(" ") : "")}"));
    }

    /// <summary>Null when the exception is not a transport failure (it is then not the channel's to explain).</summary>
    public static AlertChannelException? Failed(string channel, Exception error, ChannelSecrets secrets) => error switch
    {
        // HttpRequestException's message names the host and port, never the path, but scrub anyway.
        HttpRequestException e => new AlertChannelException(secrets.Scrub($"{channel} could not be reached: {e.Message}")),
        TimeoutRejectedException e => new AlertChannelException(secrets.Scrub($"{channel} did not answer in time: {e.Message}")),
        TaskCanceledException when error.InnerException is TimeoutException => new AlertChannelException($"{channel} did not answer in time"),
        _ => null,
    };

    public static bool IsAccepted(HttpStatusCode status, bool only202) =>
        only202 ? status == HttpStatusCode.Accepted : (int)status is >= 200 and < 300;
}
