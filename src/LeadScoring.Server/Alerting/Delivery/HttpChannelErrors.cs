using System.Globalization;
using System.Net;
using Polly.Timeout;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>Turns an HTTP receiver's refusal or a transport failure into a channel error without secrets.</summary>
internal static class HttpChannelErrors
{
    private const int BodyExcerpt = 200;

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
