using System.CommandLine;
using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

public sealed class ServeSettingsTests : IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Serve_with_a_bad_setting_exits_1_naming_the_key_instead_of_serving()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Should the setting be accepted, the service would run: the timeout stops it and the test fails on the exit code.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exit = await LeadScoreCli.Create()
            .Parse(["serve", "--data-dir", _dir["data"], "--urls", "http://127.0.0.1:0", "--model-name", "no spaces allowed"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, timeout.Token);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: LeadScoring:Serving:ModelName must be 1–100 letters, digits, '-', '_' or '.' (got 'no spaces allowed')", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_an_empty_admin_key_file_exits_1_naming_the_file_without_a_stack_trace()
    {
        Directory.CreateDirectory(_dir["data"]);
        await File.WriteAllTextAsync(Path.Combine(_dir["data"], "admin-key"), "  \n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exit = await LeadScoreCli.Parse(["serve", "--data-dir", _dir["data"], "--urls", "http://127.0.0.1:0"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, timeout.Token);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: The admin key file {Path.Combine(_dir["data"], "admin-key")} holds no key", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }
}
