using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Sql;
using LeadScoring.Storage.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Storage.Tests.Sql;

/// <summary>A SQLite store on a full disk, in a corrupt file, or where no file can be: real files, a real tmpfs.</summary>
public sealed class SqliteFaultTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("leadscoring-faults-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private ModelRegistry Registry(string databasePath) => new(new SqlDatabase(new SqliteDialect(databasePath), _time));

    [Fact]
    public async Task A_full_disk_refuses_changes_with_a_full_fault_naming_the_database_until_space_is_freed()
    {
        var folder = Path.Combine(_root, "disk");
        await using var disk = await TestMount.TmpfsAsync(folder, 2 * 1024 * 1024);
        var path = Path.Combine(folder, StorageOptions.SqliteFileName);
        await using (var registry = Registry(path))
        {
            await registry.RegisterAsync(new NewModelVersion("churn", [1, 2, 3], "{}", "alice"));
            Assert.True((await registry.CheckWritableAsync()).IsWritable);

            await disk.FillAsync();
            var check = await registry.CheckWritableAsync();
            var refused = await Assert.ThrowsAsync<StoreUnavailableException>(
                () => registry.RegisterAsync(new NewModelVersion("churn", new byte[512 * 1024], "{}", "alice")));

            Assert.Equal(StoreFault.Full, check.Fault);
            Assert.StartsWith($"the SQLite database {path} cannot be written: the disk is full", check.Detail, StringComparison.Ordinal);
            Assert.Equal(StoreFault.Full, refused.Fault);
            Assert.StartsWith($"the SQLite database {path} cannot be written: the disk is full", refused.Message, StringComparison.Ordinal);
            Assert.IsType<SqliteException>(refused.InnerException);

            // Nothing was half-written: with space again, the next change gets the next number.
            File.Delete(Path.Combine(folder, "filler"));
            Assert.True((await registry.CheckWritableAsync()).IsWritable);
            Assert.Equal(2, (await registry.RegisterAsync(new NewModelVersion("churn", new byte[512 * 1024], "{}", "alice"))).Version);
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_corrupt_database_file_is_a_corrupt_fault_for_every_call_and_for_readiness()
    {
        var path = Path.Combine(_root, StorageOptions.SqliteFileName);
        var garbage = new byte[64 * 1024];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(path, garbage);
        await using var registry = Registry(path);

        var check = await registry.CheckWritableAsync();
        var read = await Assert.ThrowsAsync<StoreUnavailableException>(() => registry.ListModelsAsync());
        var write = await Assert.ThrowsAsync<StoreUnavailableException>(() => registry.RegisterAsync(new NewModelVersion("churn", [1], "{}", "alice")));

        Assert.Equal(StoreFault.Corrupt, check.Fault);
        Assert.Equal(StoreFault.Corrupt, read.Fault);
        Assert.Equal(StoreFault.Corrupt, write.Fault);
        Assert.StartsWith($"the SQLite database {path} cannot be read: it is corrupt or not a database", read.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_an_unreachable_fault()
    {
        var notAFolder = Path.Combine(_root, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        await using var registry = Registry(Path.Combine(notAFolder, StorageOptions.SqliteFileName));

        var check = await registry.CheckWritableAsync();
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => registry.ListModelsAsync());

        Assert.Equal(StoreFault.Unreachable, check.Fault);
        Assert.Equal(StoreFault.Unreachable, refused.Fault);
        Assert.Contains("cannot be reached", refused.Message, StringComparison.Ordinal);
        Assert.False(await registry.PingAsync());
    }

    [Theory]
    [InlineData(13, 13, StoreFault.Full)]
    [InlineData(8, 8, StoreFault.ReadOnly)]
    [InlineData(8, 1032, StoreFault.ReadOnly)]
    [InlineData(3, 3, StoreFault.ReadOnly)]
    [InlineData(11, 11, StoreFault.Corrupt)]
    [InlineData(11, 267, StoreFault.Corrupt)]
    [InlineData(26, 26, StoreFault.Corrupt)]
    [InlineData(14, 14, StoreFault.Unreachable)]
    [InlineData(10, 778, StoreFault.Unreachable)]
    [InlineData(19, 2067, null)]
    [InlineData(5, 5, null)]
    [InlineData(1, 1, null)]
    public void SQLite_result_codes_are_classified_by_their_primary_code(int code, int extendedCode, StoreFault? expected)
    {
        var exception = new SqliteException("sqlite says no", code, extendedCode);

        Assert.Equal(expected, StoreFaults.Classify(exception));
        Assert.Equal(expected, StoreFaults.Classify(new InvalidOperationException("wrapped", exception)));
    }
}
