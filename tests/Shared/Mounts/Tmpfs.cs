using System.Diagnostics;

namespace LeadScoring.Tests.Shared;

/// <summary>
/// A small tmpfs mounted on a fresh directory, to make a data directory whose disk fills up or turns read-only.
/// Needs root (the tests run as root, here and in CI); when mounting fails the test fails with the reason.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private readonly string _filler;

    private Tmpfs(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB.</summary>
    public static Tmpfs Mount(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("leadscoring-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new Tmpfs(path);
    }

    /// <summary>Fills the disk: writes a file until there is no space left.</summary>
    public void Fill()
    {
        using var file = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // No space left: what we wanted.
        }
    }

    /// <summary>Frees the space <see cref="Fill"/> took.</summary>
    public void Free() => File.Delete(_filler);

    /// <summary>
    /// Remounts read-only. The kernel refuses while a file is open for writing, so pooled SQLite connections are
    /// closed first (a background poll may reopen one: retried a few times).
    /// </summary>
    public void RemountReadOnly() => RetryWhileBusy(() => Run("mount", "-o", "remount,ro", Path));

    /// <summary>Remounts read-write.</summary>
    public void RemountReadWrite() => Run("mount", "-o", "remount,rw", Path);

    public void Dispose()
    {
        RetryWhileBusy(() => Run("umount", Path));
        Directory.Delete(Path);
    }

    private static void RetryWhileBusy(Action action)
    {
        for (var attempt = 1; ; attempt++)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                action();
                return;
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {error.Trim()}. These tests need root to mount a tmpfs.");
        }
    }
}
