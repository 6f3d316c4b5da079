using Microsoft.Playwright;

namespace LeadScoring.Cli.Tests.Support;

/// <summary>
/// Headless Chromium for the tests that open an HTML report: Debian's chromium (installed by
/// scripts/setup-machine --test), driven by Playwright through <see cref="BrowserTypeLaunchOptions.ExecutablePath"/>,
/// since Playwright's own browser download cannot run here. A missing chromium fails the test with what to do:
/// it is never skipped.
/// </summary>
internal static class Chromium
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Launches headless Chromium; dispose the browser, then the Playwright driver.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"This test needs headless Chromium at {ExecutablePath}: run scripts/setup-machine --test (it installs the Debian package chromium)" +
                (Environment.GetEnvironmentVariable("CI") == "true" ? "; under CI, scripts/test runs it first, so the install failed" : ""));
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            // Root (CI) cannot use Chromium's sandbox; Playwright passes --no-sandbox unless ChromiumSandbox is set.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, ChromiumSandbox = false });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
