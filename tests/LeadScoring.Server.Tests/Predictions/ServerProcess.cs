using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Predictions;

/// <summary>
/// The real server as a child process: the built LeadScoring.Server.dll beside the tests (the project reference
/// copies it with its runtimeconfig), run by the dotnet host on 127.0.0.1 at a free port, bootstrap off. What it
/// prints is kept for the failure message.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", RunningService.AdminKey);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    /// <summary>What the process printed so far (its last 32 to 64 thousand characters).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server with <paramref name="settings"/> (key=value, as command-line arguments) and waits until it answers /health/live.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "LeadScoring.Server.dll");
        Assert.True(File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"the server is built beside the tests: {dll}");
        var port = FreePort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("LEADSCORING_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var (key, value) in new Dictionary<string, string>(settings)
        {
            ["LeadScoring:Admin:Key"] = RunningService.AdminKey,
            ["LeadScoring:Bootstrap:Enabled"] = "false",
            ["LeadScoring:Serving:RegistryPollInterval"] = "00:00:00.200",
        })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var server = new ServerProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !server._process.HasExited)
        {
            try
            {
                using var live = await server.Client.GetAsync("/health/live");
                if (live.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        var output = server.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException($"the server process did not answer /health/live within 30 s:\n{output}");
    }

    /// <summary>Registers a package and promotes it over the admin routes; waits until it is served.</summary>
    public async Task DeployAsync(byte[] archive)
    {
        using var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        using var registered = await Admin.PostAsync($"/registry/models/{RunningService.ModelName}/versions", content);
        Assert.True(registered.IsSuccessStatusCode, $"register: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
        var version = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32();
        using var stage = new StringContent("""{"stage": "Production", "reason": "crash test"}""", Encoding.UTF8, "application/json");
        using var promoted = await Admin.PostAsync($"/registry/models/{RunningService.ModelName}/versions/{version}/stage", stage);
        Assert.True(promoted.IsSuccessStatusCode, $"promote: {(int)promoted.StatusCode} {await promoted.Content.ReadAsStringAsync()}");
        await WaitUntilServingAsync();
    }

    /// <summary>Waits (up to 30 s) until a model is served.</summary>
    public async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var model = await Client.GetAsync("/model");
            if (model.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the server process served no model within 30 s:\n{Output}");
    }

    /// <summary>SIGKILL: the process gets no chance to flush, drain or close anything.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The host running the tests (dotnet test sets DOTNET_HOST_PATH), else the one on the PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 64_000)
            {
                _output.Remove(0, _output.Length - 32_000);
            }
        }
    }
}
