using LeadScoring.Storage.Registry;

namespace LeadScoring.Storage.Tests.Registry;

/// <summary>What the registry does when its store cannot be written.</summary>
public abstract partial class RegistryContract
{
    [Fact]
    public async Task A_working_store_is_writable()
    {
        var check = await Registry.CheckWritableAsync();

        Assert.True(check.IsWritable, check.Detail);
        Assert.Null(check.Fault);
    }

    [Fact]
    public async Task A_read_only_store_refuses_changes_with_a_read_only_fault_naming_the_database()
    {
        await RegisterAsync();
        await Registry.DisposeAsync();
        await Database.MakeReadOnlyAsync();
        var readOnly = Open();

        var check = await readOnly.CheckWritableAsync();
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => RegisterAsync(registry: readOnly));

        Assert.Equal(StoreFault.ReadOnly, check.Fault);
        Assert.Contains(readOnly.StoreDescription, check.Detail, StringComparison.Ordinal);
        Assert.Equal(StoreFault.ReadOnly, refused.Fault);
        Assert.StartsWith($"{readOnly.StoreDescription} cannot be written: it is read-only", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(refused.InnerException);
        // The provider's own exception is a store fault too (SQLite may only say "unable to open"; the registry
        // asked the file system and knows it is read-only).
        Assert.NotNull(StoreFaults.Classify(refused.InnerException));
        Assert.Equal(StoreFault.ReadOnly, StoreFaults.Classify(refused));
    }

    [Fact]
    public void Errors_that_are_not_store_faults_are_not_classified()
    {
        Assert.Null(StoreFaults.Classify(new RegistryException(RegistryErrorKind.Conflict, "conflict")));
        Assert.Null(StoreFaults.Classify(new InvalidOperationException("bug")));
        Assert.Null(StoreFaults.Classify(new OperationCanceledException()));
        Assert.Null(StoreFaults.Classify(new IOException("a request body was cut off")));
    }
}
