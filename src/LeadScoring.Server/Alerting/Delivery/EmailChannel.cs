using System.Net.Sockets;
using LeadScoring.Storage.Alerting;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LeadScoring.Server.Alerting.Delivery;

/// <summary>Sends a delivery as one email (plain text and HTML alternatives) to every configured recipient over SMTP.</summary>
public sealed class EmailChannel : IAlertChannel
{
    private readonly AlertChannelOptions _options;
    private readonly ChannelSecrets _secrets;
    private readonly TimeProvider _time;

    /// <summary>Creates the channel; <paramref name="time"/> dates the messages.</summary>
    public EmailChannel(IOptions<AlertChannelOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _secrets = new ChannelSecrets(_options);
        _time = time;
    }

    /// <inheritdoc />
    public string Name => AlertChannels.Email;

    /// <inheritdoc />
    public async Task SendAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        var email = _options.Email;
        if (!email.IsConfigured)
        {
            throw new AlertChannelException("email is not configured (LeadScoring:Alerting:Channels:Email:Host, From, To)");
        }

        using var message = EmailMessage.Build(AlertMessage.For(delivery, _options.LinkBaseUrl), email, _time.GetUtcNow());
        // One connection per delivery: alerts are rare, and a pooled connection the server closed would fail the next one.
        using var client = new SmtpClient { Timeout = (int)_options.AttemptTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(email.Host!, email.Port, ToMailKit(email.Security), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(email.User))
            {
                await client.AuthenticateAsync(email.User, email.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or MailKit.ProtocolException or CommandException or AuthenticationException or SslHandshakeException or ServiceNotConnectedException
            && !cancellationToken.IsCancellationRequested)
        {
            // MailKit's messages quote the server's reply, never the password we sent; scrub anyway.
            throw new AlertChannelException(_secrets.Scrub($"email via {email.Host}:{email.Port} failed: {e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ")));
        }
    }

    private static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}
