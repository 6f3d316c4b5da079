using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Server.Tests.Alerting.Delivery.Support;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (a free port) standing in for Slack's webhook or PagerDuty's Events API: it
/// records every POST's path and body and answers <see cref="Status"/>; it can be stopped to be a closed port.
/// </summary>
public sealed class FakeHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private FakeHttpReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the receiver answers (settable while it runs).</summary>
    public int Status { get; set; }

    /// <summary>How long the receiver takes to answer (a slow channel).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When true the receiver answers with the request's own body (as some APIs quote a bad request back).</summary>
    public bool EchoBody { get; set; }

    public ConcurrentQueue<(string Path, string Body)> Requests { get; } = new();

    public static async Task<FakeHttpReceiver> StartAsync(int status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeHttpReceiver? receiver = null;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (receiver!.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }

            receiver.Requests.Enqueue((context.Request.Path.Value ?? "", body));
            return Results.Text(receiver.EchoBody ? body : "{\"status\":\"ok\"}", "application/json", statusCode: receiver.Status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new FakeHttpReceiver(app, new Uri(address)) { Status = status };
        return receiver;
    }

    public string Url(string path) => new Uri(Address, path).ToString();

    /// <summary>Stops listening: its port is then closed (connection refused).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
