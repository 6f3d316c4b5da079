using System.Globalization;
using LeadScoring.Application.Monitoring;
using LeadScoring.Cli.Tests.Support;
using Microsoft.Playwright;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>
/// The report `leadscore drift` writes, opened in headless Chromium: every chart renders, nothing is logged as an
/// error, nothing is fetched. A full-page screenshot is kept under artifacts/test-results/ (the directory scripts/test
/// gives the test runner, which CI keeps).
/// </summary>
public sealed class DriftReportBrowserTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IAsyncLifetime, IDisposable
{
    /// <summary>The screenshot, relative to the repository root.</summary>
    public const string Screenshot = "artifacts/test-results/drift-report/source-shift.png";

    private readonly Scratch _dir = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_source_shift_report_renders_every_chart_with_no_error_and_no_request()
    {
        var leads = _dir["source-shift.csv"];
        Assert.Equal(0, (await Leadscore.RunAsync("simulate", "--rows", "2000", "--seed", "5", "--scenario", "source-shift", "--out", leads)).Exit);
        var report = _dir["report.html"];
        var (exit, json, error) = await Leadscore.RunAsync("drift", "--model", package.Folder, "--data", leads, "--out", report, "--json");
        Assert.True(exit == 0, error);
        var document = MonitoringJson.Deserialize(json);
        var measured = document.Features.Where(f => f.Bins is not null).Select(f => f.Feature).ToList();
        Assert.NotNull(document.Prediction.Bins);

        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var consoleErrors = new List<string>();
        var pageErrors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                consoleErrors.Add($"{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, e) => pageErrors.Add(e);
        page.Request += (_, request) => requests.Add(request.Url);
        var url = new Uri(report).AbsoluteUri;

        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var charts = await page.Locator("svg.chart").AllAsync();
        var boxes = new List<LocatorBoundingBoxResult?>();
        foreach (var chart in charts)
        {
            await chart.ScrollIntoViewIfNeededAsync();
            boxes.Add(await chart.BoundingBoxAsync());
        }

        var featureCharts = await page.Locator("section.feature[data-feature] svg.chart").CountAsync();
        var barHeights = await page.Locator("svg.chart rect.current").EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBoundingClientRect().height)");
        var title = await page.TitleAsync();
        var path = RepositoryPaths.File(Screenshot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        await page.CloseAsync();

        Assert.True(response is not null && response.Ok, $"opening {url} failed");
        Assert.Equal("Drift report: simulated-leads on source-shift.csv", title);
        Assert.Equal(measured.Count + 1, charts.Count);
        Assert.Equal(measured.Count, featureCharts);
        Assert.All(boxes, box => Assert.True(box is { Width: > 100, Height: > 100 }, $"a chart has no size: {box?.Width.ToString(CultureInfo.InvariantCulture)} x {box?.Height.ToString(CultureInfo.InvariantCulture)}"));
        // Bars are drawn to scale: some current bars have height, and none is taller than the plot.
        Assert.Contains(barHeights, h => h > 1);
        Assert.All(barHeights, h => Assert.InRange(h, 0, 200));
        Assert.Empty(consoleErrors);
        Assert.Empty(pageErrors);
        Assert.Equal([url], requests);
        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is empty");
    }
}
