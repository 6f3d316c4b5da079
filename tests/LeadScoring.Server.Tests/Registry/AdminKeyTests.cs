using System.Net;
using System.Runtime.Versioning;
using LeadScoring.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Server.Tests.Registry;

/// <summary>The admin key must never be empty or short, whether configured or kept in the data directory's key file.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AdminKeyTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("leadscoring-admin-key-test-").FullName;

    private string KeyFile => Path.Combine(_dataDirectory, "admin-key");

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t \n")]
    [InlineData("short-key\n")]
    public async Task The_service_refuses_to_start_with_an_empty_or_short_key_file(string content)
    {
        await File.WriteAllTextAsync(KeyFile, content);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAndStopAsync());

        Assert.Contains(KeyFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 16 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_refuses_to_start_with_a_short_configured_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAndStopAsync("--LeadScoring:Admin:Key=abcde"));

        Assert.Contains("LeadScoring:Admin:Key must be at least 16 characters (got 5)", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Theory]
    [InlineData("MaxPackageBytes", "10", "LeadScoring:Admin:MaxPackageBytes must be between 1024 and 1073741824 (got 10)")]
    [InlineData("MaxReasonLength", "0", "LeadScoring:Admin:MaxReasonLength must be between 1 and 100000 (got 0)")]
    public async Task The_service_refuses_to_start_with_admin_limits_out_of_range(string key, string value, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAndStopAsync($"--LeadScoring:Admin:Key={RunningService.AdminKey}", $"--LeadScoring:Admin:{key}={value}"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generated_key_file_is_private_long_and_guards_the_admin_routes()
    {
        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = Address(app) };
        var key = (await File.ReadAllTextAsync(KeyFile)).Trim();

        Assert.True(key.Length >= 16, $"the generated key has {key.Length} characters");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(["admin-key"], Directory.GetFiles(_dataDirectory, "admin-key*").Select(Path.GetFileName));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, ""));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, key[..^1]));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, key));
    }

    [Fact]
    public async Task A_first_start_on_a_full_disk_refuses_to_start_and_leaves_no_key_file()
    {
        using var disk = Tmpfs.Mount(megabytes: 1);
        disk.Fill();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAndStopAsync($"--Storage:DataDirectory={disk.Path}"));

        Assert.Contains($"The admin key file {Path.Combine(disk.Path, "admin-key")} could not be written", error.Message, StringComparison.Ordinal);
        Assert.Equal(["filler"], Directory.GetFiles(disk.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_kept_key_file_is_used_again_on_the_next_start()
    {
        const string kept = "kept-admin-key-0123456789abcdef";
        await File.WriteAllTextAsync(KeyFile, kept + "\n");

        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = Address(app) };

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, kept));
        Assert.Equal(kept + "\n", await File.ReadAllTextAsync(KeyFile));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/models");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    private async Task StartAndStopAsync(params string[] settings)
    {
        await using var app = await StartAsync(settings);
    }

    // Like RunningService, but without a configured key unless one is given, so the key file is what is tested.
    private async Task<WebApplication> StartAsync(params string[] settings)
    {
        var app = LeadScoringHost.Build(
            ["--urls=http://127.0.0.1:0", $"--Storage:DataDirectory={_dataDirectory}", "--LeadScoring:Bootstrap:Enabled=false", "--LeadScoring:Monitoring:Schedules:Enabled=false", .. settings],
            builder => builder.Logging.ClearProviders());
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
