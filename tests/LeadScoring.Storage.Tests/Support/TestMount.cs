using System.Diagnostics;
using System.Globalization;

namespace LeadScoring.Storage.Tests.Support;

/// <summary>
/// A real mount for fault tests: a tiny tmpfs (fill it to make the disk full) or a bind mount of a folder over
/// itself (remount it read-only). Tests run as root here and in CI; when mounting fails the test fails, saying why.
/// </summary>
public sealed class TestMount : IAsyncDisposable
{
    private TestMount(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="sizeBytes"/> at <paramref name="path"/> (created when missing).</summary>
    public static async Task<TestMount> TmpfsAsync(string path, long sizeBytes)
    {
        Directory.CreateDirectory(path);
        await RunAsync("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={sizeBytes}"), "tmpfs", path);
        return new TestMount(path);
    }

    /// <summary>Bind-mounts <paramref name="path"/> over itself, so it can be remounted read-only on its own.</summary>
    public static async Task<TestMount> BindAsync(string path)
    {
        Directory.CreateDirectory(path);
        await RunAsync("mount", "--bind", path, path);
        return new TestMount(path);
    }

    public Task RemountReadOnlyAsync() => RunAsync("mount", "-o", "remount,bind,ro", Path);

    /// <summary>Fills the file system with one file until it is full.</summary>
    public async Task FillAsync()
    {
        var chunk = new byte[64 * 1024];
        var stream = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, 1);
        await using (stream)
        {
            try
            {
                while (true)
                {
                    await stream.WriteAsync(chunk);
                    await stream.FlushAsync();
                }
            }
            catch (IOException)
            {
                // ENOSPC: full. Smaller writes take the last partial chunk.
            }

            try
            {
                while (true)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, 512));
                    await stream.FlushAsync();
                }
            }
            catch (IOException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync() => await RunAsync("umount", "-l", Path);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string error;
        int exitCode;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
            error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            exitCode = process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"This fault test needs '{program}' (and root, as in CI): {e.Message}", e);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"This fault test needs to run '{program} {string.Join(' ', arguments)}' as root (as in CI), which failed with exit code {exitCode}: {error.Trim()}");
        }
    }
}
