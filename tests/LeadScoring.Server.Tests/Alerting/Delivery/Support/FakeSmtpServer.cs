using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace LeadScoring.Server.Tests.Alerting.Delivery.Support;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1, a free port: it takes messages (with AUTH when a user
/// and password are given), parses each with MimeKit and keeps it.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private FakeSmtpServer(Task running, int port, CapturingStore store)
    {
        _running = running;
        Port = port;
        Messages = store.Messages;
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; }

    public static async Task<FakeSmtpServer> StartAsync(string? user = null, string? password = null)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, 0));
                if (user is not null)
                {
                    e.AuthenticationRequired().AllowUnsecureAuthentication();
                }
            })
            .Build();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => port.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var store = new CapturingStore();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(store);
        if (user is not null)
        {
            services.Add(new DelegatingUserAuthenticator((u, p) => u == user && p == password));
        }

        var server = new SmtpServer.SmtpServer(options, services);
        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        var bound = await port.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var fake = new FakeSmtpServer(running, bound, store);
        fake._stop.Token.Register(stop.Cancel);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private sealed class CapturingStore : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
