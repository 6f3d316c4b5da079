using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScoring.Server.Tests.Support;

namespace LeadScoring.Server.Tests.Registry;

/// <summary>Package uploads: the size limit follows LeadScoring:Admin:MaxPackageBytes (413 beyond it), and zip bombs are refused cheaply.</summary>
[Collection(ServerCollection.Name)]
public sealed class PackageUploadTests(TestPackages packages)
{
    private const string Versions = "/registry/models/lead-scoring/versions";

    [Fact]
    public async Task An_upload_over_kestrels_default_body_limit_reaches_the_package_checks()
    {
        await using var service = await RunningService.StartAsync();

        // 31,000,000 bytes: over Kestrel's default 30,000,000, under the default package limit of 256 MiB.
        var (status, problem) = await UploadAsync(service, new ByteArrayContent(new byte[31_000_000]));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a valid package archive", Json.Errors(problem, "package").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_declared_over_the_limit_is_refused_before_it_is_sent()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Admin:MaxPackageBytes"] = "131072" });
        using var content = new ByteArrayContent(new byte[200_000]);

        var (status, problem) = await UploadAsync(service, content, expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(["is 200000 bytes; the limit is 131072 (LeadScoring:Admin:MaxPackageBytes)"], Json.Errors(problem, "package"));
    }

    [Fact]
    public async Task A_chunked_upload_that_runs_over_the_limit_is_refused()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["LeadScoring:Admin:MaxPackageBytes"] = "131072" });
        using var content = new StreamContent(new UnknownLengthStream(new byte[200_000]));

        var (status, problem) = await UploadAsync(service, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(["exceeds the limit of 131072 bytes (LeadScoring:Admin:MaxPackageBytes)"], Json.Errors(problem, "package"));
    }

    [Fact]
    public async Task A_chunked_upload_within_the_limit_registers()
    {
        await using var service = await RunningService.StartAsync();
        using var content = new StreamContent(new UnknownLengthStream(packages.First));

        var (status, _) = await UploadAsync(service, content);

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_zip_bomb_is_refused_quickly_with_bounded_memory_and_nothing_registered(bool lyingHeader)
    {
        await using var service = await RunningService.StartAsync();
        await service.RegisterAsync(packages.First);
        // A real package's metadata and profile, and a model.zip of 2 GiB of zeros (about 2 MB deflated).
        var bomb = ZipBombs.Build(JsonFilesOf(packages.Second), "model.zip", 2L << 30);
        if (lyingHeader)
        {
            bomb = ZipBombs.Declare(bomb, "model.zip", 100_000);
        }

        GC.Collect();
        using var memory = new PeakMemory();
        var watch = Stopwatch.StartNew();
        var (status, problem) = await UploadAsync(service, new ByteArrayContent(bomb));
        watch.Stop();
        var growth = await memory.StopAsync();
        var versions = await service.Admin.GetFromJsonAsync<JsonElement>(Versions);

        Assert.True(bomb.Length < 5_000_000, $"the bomb is {bomb.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("model.zip", Json.Errors(problem, "package").Single(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"answered in {watch.Elapsed}");
        Assert.True(growth < 300L << 20, $"the working set grew by {growth >> 20} MiB during the upload");
        Assert.Equal(1, versions.GetArrayLength());
    }

    private static List<KeyValuePair<string, byte[]>> JsonFilesOf(byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        return zip.Entries
            .Where(e => e.Name != "model.zip")
            .Select(e =>
            {
                using var source = e.Open();
                using var copy = new MemoryStream();
                source.CopyTo(copy);
                return KeyValuePair.Create(e.Name, copy.ToArray());
            })
            .ToList();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem)> UploadAsync(RunningService service, HttpContent content, bool expectContinue = false)
    {
        using (content)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            using var request = new HttpRequestMessage(HttpMethod.Post, Versions) { Content = content };
            request.Headers.ExpectContinue = expectContinue;
            using var response = await service.Admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    /// <summary>A readable stream that does not say how long it is, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>Samples the process's working set until stopped; reports the peak growth over the start.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly long _start = WorkingSet();
        private readonly Task<long> _peak;

        public PeakMemory() => _peak = Task.Run(async () =>
        {
            var peak = _start;
            while (!_stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, WorkingSet());
                await Task.Delay(5);
            }

            return Math.Max(peak, WorkingSet()) - _start;
        });

        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            return await _peak;
        }

        public void Dispose() => _stop.Dispose();

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }
}
