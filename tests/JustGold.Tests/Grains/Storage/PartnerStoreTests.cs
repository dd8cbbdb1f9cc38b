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

    internal SqlPartnerStore Sqlite { get; private set; } = null!;

    internal SqlPartnerStore Postgres { get; private set; } = null!;

    internal SqlPartnerStore this[string provider] => provider == "sqlite" ? Sqlite : Postgres;

    /// <summary>Replay records on the same PostgreSQL server (the embedded journal is per test: it owns a folder).</summary>
    internal PostgresReplayStore PostgresReplay { get; private set; } = null!;

    public string PostgresConnectionString => _postgres!.ConnectionString;

    /// <summary>A fresh journal folder inside this fixture's temporary folder.</summary>
    public string NewJournalDirectory() => Path.Combine(_directory, "journal-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "store.db") }.ToString();
        Sqlite = new SqlPartnerStore(SqliteFactory.Instance.CreateDataSource(sqlite), SqlDialect.Sqlite);
        _postgres = await PostgresServer.StartAsync();
        var postgres = NpgsqlDataSource.Create(_postgres.ConnectionString);
        Postgres = new SqlPartnerStore(postgres, SqlDialect.Postgres, [SchemaScripts.OrleansClusteringPostgres]);
        PostgresReplay = new PostgresReplayStore(postgres);
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

[Collection(StorageCollection.Name)]
public sealed class PartnerStoreTests(PartnerStoreFixture stores)
{
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
}

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<PartnerStoreFixture>
{
    public const string Name = "storage";
}
