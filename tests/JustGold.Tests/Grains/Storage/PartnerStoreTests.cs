using JustGold.Grains.Contracts;
using JustGold.Grains.Storage;
using JustGold.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JustGold.Tests.Grains.Storage;

/// <summary>Both stores, SQLite embedded and a real PostgreSQL started for the run, held to the same contract.</summary>
public sealed class PartnerStoreFixture : IAsyncLifetime
{
    private readonly string _directory = ApiFactory.NewDataDirectory();
    private PostgresServer? _postgres;

    public SqlPartnerStore Sqlite { get; private set; } = null!;

    public SqlPartnerStore Postgres { get; private set; } = null!;

    public SqlPartnerStore this[string provider] => provider == "sqlite" ? Sqlite : Postgres;

    public async Task InitializeAsync()
    {
        var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "store.db") }.ToString();
        Sqlite = new SqlPartnerStore(SqliteFactory.Instance.CreateDataSource(sqlite), SqlDialect.Sqlite);
        _postgres = await PostgresServer.StartAsync();
        Postgres = new SqlPartnerStore(NpgsqlDataSource.Create(_postgres.ConnectionString), SqlDialect.Postgres, [SchemaScripts.OrleansClusteringPostgres]);
        foreach (var store in new[] { Sqlite, Postgres })
        {
            // Twice: the schema step must be idempotent.
            await store.EnsureSchemaAsync(CancellationToken.None);
            await store.EnsureSchemaAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        ApiFixture.TryDelete(_directory);
    }
}

public sealed class PartnerStoreTests(PartnerStoreFixture stores) : IClassFixture<PartnerStoreFixture>
{
    private const long Now = 1_800_000_000;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AppendReplayRecords_ReportsNewAndAlreadyLiveRecords(string provider)
    {
        var store = stores[provider];
        var partner = ApiFixture.NewPartnerId();

        var first = await store.AppendReplayRecordsAsync(
            [new(partner, "a", Now + 100), new(partner, "b", Now + 100), new(partner, "a", Now + 100)], Now, CancellationToken.None);
        var second = await store.AppendReplayRecordsAsync(
            [new(partner, "b", Now + 100), new(partner, "c", Now + 100), new("other-" + partner, "b", Now + 100)], Now, CancellationToken.None);

        Assert.Equal([true, true, false], first);
        Assert.Equal([false, true, true], second);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AppendReplayRecords_TakesOverAnExpiredRowNotYetDeleted(string provider)
    {
        var store = stores[provider];
        var partner = ApiFixture.NewPartnerId();
        await store.AppendReplayRecordsAsync([new(partner, "j", Now + 10)], Now, CancellationToken.None);

        var whileLive = await store.AppendReplayRecordsAsync([new(partner, "j", Now + 500)], Now + 9, CancellationToken.None);
        var afterExpiry = await store.AppendReplayRecordsAsync([new(partner, "j", Now + 500)], Now + 10, CancellationToken.None);

        Assert.Equal([false], whileLive);
        Assert.Equal([true], afterExpiry);
        var live = await store.LoadReplayRecordsAsync(partner, Now + 400, CancellationToken.None);
        Assert.Equal(Now + 500, Assert.Single(live).ForgetAtUnixSeconds);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task LoadReplayRecords_ReturnsOnlyLiveRecordsOfThatPartner(string provider)
    {
        var store = stores[provider];
        var partner = ApiFixture.NewPartnerId();
        await store.AppendReplayRecordsAsync(
            [new(partner, "old", Now + 5), new(partner, "live", Now + 50), new("x" + partner, "other", Now + 50)], Now, CancellationToken.None);

        var live = await store.LoadReplayRecordsAsync(partner, Now + 5, CancellationToken.None);

        Assert.Equal(["live"], live.Select(r => r.Jti));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PartnerKeysAndAuditRoundTrip(string provider)
    {
        var store = stores[provider];
        var partner = ApiFixture.NewPartnerId();
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
        await store.SavePartnerAsync(new StoredPartner(partner, "Acme", PartnerStatus.Active, created, created, []), CancellationToken.None);
        var key = new PartnerKey("kid-1", "EC", "P-256", [1, 2, 3], KeyStatus.Active, created, null);
        await store.SaveKeyAsync(partner, key, new KeyAuditEntry(created, "alice", partner, "kid-1", "added"), CancellationToken.None);
        var revoked = key with { Status = KeyStatus.Revoked, Revoked = created.AddMinutes(1) };
        await store.SaveKeyAsync(partner, revoked, new KeyAuditEntry(created.AddMinutes(1), "bob", partner, "kid-1", "revoked"), CancellationToken.None);

        var loaded = await store.LoadPartnerAsync(partner, CancellationToken.None);
        var audit = await store.LoadAuditTrailAsync(partner, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal("Acme", loaded.Name);
        var loadedKey = Assert.Single(loaded.Keys);
        Assert.Equal(KeyStatus.Revoked, loadedKey.Status);
        Assert.Equal(created.AddMinutes(1), loadedKey.Revoked);
        Assert.Equal(new byte[] { 1, 2, 3 }, loadedKey.SubjectPublicKeyInfo);
        Assert.Equal(["alice", "bob"], audit.Select(a => a.Actor));
        Assert.Null(await store.LoadPartnerAsync("missing-" + partner, CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DeleteExpiredReplayRecords_RemovesOnlyExpired(string provider)
    {
        var store = stores[provider];
        var partner = ApiFixture.NewPartnerId();
        await store.AppendReplayRecordsAsync([new(partner, "old", Now - 1_000_000), new(partner, "live", Now + 1_000_000)], Now, CancellationToken.None);

        await store.DeleteExpiredReplayRecordsAsync(Now, CancellationToken.None);

        var remaining = await store.LoadReplayRecordsAsync(partner, 0, CancellationToken.None);
        Assert.Equal(["live"], remaining.Select(r => r.Jti));
    }
}
