using LeadScoring.Storage.Sql;
using Microsoft.Extensions.Time.Testing;

namespace LeadScoring.Storage.Tests.Support;

/// <summary>
/// The fixture every store's contract shares: a fresh database per test (from the provider's
/// <see cref="CreateTestDatabase"/>), a fake clock, and stores opened on it that are disposed after the test. A
/// store's contract derives from this and says how to open the store on a <see cref="SqlDatabase"/>; one subclass
/// per provider says which database.
/// </summary>
public abstract class StoreContract<TStore> : IAsyncLifetime
    where TStore : class, IAsyncDisposable
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly List<TStore> _opened = [];

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The database under the test's stores.</summary>
    protected TestDatabase Database { get; private set; } = null!;

    /// <summary>The store under test (its schema not yet created when a test starts).</summary>
    protected TStore Store { get; private set; } = null!;

    /// <summary>The provider's empty database (SqliteTestDatabase, PostgresTestDatabase).</summary>
    protected abstract TestDatabase CreateTestDatabase();

    /// <summary>The store on <paramref name="database"/>, owning it.</summary>
    private protected abstract TStore OpenStore(SqlDatabase database);

    public async Task InitializeAsync()
    {
        Database = CreateTestDatabase();
        await Database.CreateAsync();
        Store = Open();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await Database.DeleteAsync();
    }

    /// <summary>Another instance of the store on the same database (as another process would open it).</summary>
    protected TStore Open()
    {
        var store = OpenStore(new SqlDatabase(Database.OpenDialect(), Time));
        _opened.Add(store);
        return store;
    }
}
