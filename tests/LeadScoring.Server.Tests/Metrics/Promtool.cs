using System.Diagnostics;

namespace LeadScoring.Server.Tests.Metrics;

/// <summary>
/// Prometheus's own checker (`promtool check metrics`, Debian package prometheus, installed by
/// scripts/setup-machine --test). A missing promtool fails the test with what to do: it is never skipped.
/// </summary>
public static class Promtool
{
    /// <summary>Runs `promtool check metrics` on <paramref name="scrape"/>; its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string scrape)
    {
        var path = Find() ?? throw new InvalidOperationException(
            "This test needs promtool (Prometheus's checker) on PATH: run scripts/setup-machine --test (it installs the Debian package prometheus)" +
            (Environment.GetEnvironmentVariable("CI") == "true" ? "; under CI, scripts/test runs it first, so the install failed" : ""));
        var start = new ProcessStartInfo(path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(scrape);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output + await error).Trim());
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "promtool"))
            .FirstOrDefault(File.Exists);
}
