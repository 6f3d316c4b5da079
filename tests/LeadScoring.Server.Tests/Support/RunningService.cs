using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Storage;
using LeadScoring.Storage.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Tests.Support;

/// <summary>
/// The real service on a real Kestrel at 127.0.0.1 (a free port), with its own data directory (or a
/// PostgreSQL database), a known admin key, bootstrap off unless asked for, and a fast registry poll.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string ModelName = "lead-scoring";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;
    private bool _stopped;

    private RunningService(WebApplication app, string dataDirectory, Uri address, CapturedLogs logs)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Address = address;
        Logs = logs;
        Client = new HttpClient { BaseAddress = address };
        Admin = new HttpClient { BaseAddress = address };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        Admin.DefaultRequestHeaders.Add("X-Actor", "alice");
    }

    public Uri Address { get; }

    /// <summary>A caller without the admin key.</summary>
    public HttpClient Client { get; }

    /// <summary>A caller with the admin key, acting as "alice".</summary>
    public HttpClient Admin { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public IModelRegistry Registry => _app.Services.GetRequiredService<IModelRegistry>();

    /// <summary>The storage options the service runs with (its data directory, or its PostgreSQL database).</summary>
    public StorageOptions Storage => _app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;

    /// <summary>Stops the host gracefully (as on SIGTERM), keeping its data until the service is disposed.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    /// <summary>Starts the service; <paramref name="services"/> may replace registered services (e.g. the model loader, to wrap a scorer).</summary>
    public static async Task<RunningService> StartAsync(IDictionary<string, string?>? settings = null, string? postgres = null, TimeProvider? clock = null, Action<IServiceCollection>? services = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("leadscoring-server-test-").FullName;
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Storage:DataDirectory={dataDirectory}",
            $"--LeadScoring:Admin:Key={AdminKey}",
            "--LeadScoring:Bootstrap:Enabled=false",
            "--LeadScoring:Serving:RegistryPollInterval=00:00:00.200",
            // No monitoring scheduler (nor its Quartz tables) unless a test asks for it: its settings come later and win.
            "--LeadScoring:Monitoring:Schedules:Enabled=false",
        };
        if (postgres is not null)
        {
            args.Add($"--Storage:PostgresConnectionString={postgres}");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            args.Add($"--{key}={value}");
        }

        var logs = new CapturedLogs();
        var app = LeadScoringHost.Build([.. args], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }

            services?.Invoke(builder.Services);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A refused configuration: leave nothing behind, and let the test see the exception.
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningService(app, dataDirectory, new Uri(address), logs);
    }

    /// <summary>Registers an archive over HTTP and returns its version number.</summary>
    public async Task<int> RegisterAsync(byte[] archive, string? query = null)
    {
        using var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await Admin.PostAsync($"/registry/models/{ModelName}/versions{query}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"register: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32();
    }

    /// <summary>Moves a version to Production over HTTP.</summary>
    public async Task PromoteAsync(int version, string reason = "test")
    {
        using var response = await Admin.PostAsJsonAsync($"/registry/models/{ModelName}/versions/{version}/stage", new { stage = "Production", reason });
        Assert.True(response.IsSuccessStatusCode, $"promote: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Registers and promotes, then waits until the service serves it.</summary>
    public async Task<int> DeployAsync(byte[] archive)
    {
        var version = await RegisterAsync(archive);
        await PromoteAsync(version);
        await WaitUntilServingAsync(version);
        return version;
    }

    /// <summary>Waits (up to 30 s) until GET /model reports <paramref name="version"/>.</summary>
    public async Task WaitUntilServingAsync(int version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync("/model");
            if (response.IsSuccessStatusCode && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32() == version)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the service did not start serving v{version} within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}

/// <summary>Keeps every log record (category, level, message and structured state) for assertions.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Records.Enqueue((category, logLevel, formatter(state, exception), values));
        }
    }
}
