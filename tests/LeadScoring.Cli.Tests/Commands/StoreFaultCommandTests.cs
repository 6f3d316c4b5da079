using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>A store the CLI cannot use is the environment, not a bug: exit 3 and one line naming the cause, never a stack trace.</summary>
public sealed class StoreFaultCommandTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("models", "list")]
    [InlineData("models", "audit")]
    [InlineData("promote", "lead-scoring@1")]
    [InlineData("backup", "--out")]
    public async Task A_corrupt_database_file_exits_3_naming_the_cause_without_a_stack_trace(string command, string argument)
    {
        var data = _dir["data"];
        Directory.CreateDirectory(data);
        await File.WriteAllBytesAsync(Path.Combine(data, "leadscoring.db"), new byte[8192].Select((_, i) => (byte)(i * 31 + 7)).ToArray());
        string[] args = command == "backup" ? [command, argument, _dir["copy.db"], "--data-dir", data] : [command, argument, "--data-dir", data];

        var (exit, _, stderr) = await Leadscore.RunAsync(args);

        Assert.Equal(3, exit);
        Assert.StartsWith("error: the store cannot be used: ", stderr, StringComparison.Ordinal);
        Assert.Contains("corrupt", stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(data, "leadscoring.db"), stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Register_on_a_full_disk_exits_3_and_the_store_still_works_once_space_is_freed()
    {
        using var disk = Tmpfs.Mount(megabytes: 8);
        var data = Path.Combine(disk.Path, "data");
        await using (var registry = LeadScoring.Storage.ModelRegistryFactory.Create(new LeadScoring.Storage.StorageOptions { DataDirectory = data }))
        {
            await registry.InitializeAsync();
        }

        disk.Fill();
        var (exit, _, stderr) = await Leadscore.RunAsync("register", package.Folder, "--name", "lead-scoring", "--data-dir", data);
        disk.Free();
        var retry = await Leadscore.RunAsync("register", package.Folder, "--name", "lead-scoring", "--data-dir", data);

        Assert.Equal(3, exit);
        Assert.StartsWith("error: the store cannot be used: ", stderr, StringComparison.Ordinal);
        Assert.Contains("full", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(0, retry.Exit);
        Assert.Contains("registered lead-scoring v1", retry.Out, StringComparison.Ordinal);
    }
}
