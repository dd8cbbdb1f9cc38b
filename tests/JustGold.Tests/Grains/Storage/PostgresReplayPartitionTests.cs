using JustGold.Grains.Partners;
using JustGold.Grains.Storage;
using JustGold.Tests.Infrastructure;
using Npgsql;

namespace JustGold.Tests.Grains.Storage;

/// <summary>
/// The time partitions of the PostgreSQL replay store, on the real server of the storage
/// collection. Each test gets its own schema (search path), so partitions one test makes or drops
/// never meet another's; the clock is the explicit now every store call takes.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class PostgresReplayPartitionTests(PartnerStoreFixture stores) : IAsyncDisposable
{
    private const long Now = 1_800_000_000; // a multiple of 60: spans start here
    private readonly List<NpgsqlDataSource> _sources = [];

    [Fact]
    public async Task FirstUseCreatesPartitionsAheadAndAMissingOneOnDemand()
    {
        var (store, db) = await OpenAsync(horizon: 600);
        var partner = ApiFixture.NewPartnerId();

        Assert.Empty(await store.LoadAsync(partner, Now + 5, CancellationToken.None));
        var ahead = await SpansAsync(db);
        // Contiguous, 60 s each, from the span holding now to beyond now + horizon.
        Assert.Equal(Enumerable.Range(0, ahead.Count).Select(i => (Now + 60L * i, Now + 60L * (i + 1))), ahead);
        Assert.True(ahead[^1].To > Now + 5 + 600);

        var far = Now + 100_000;
        var inserted = await store.AppendAsync([ReplayStoreContractTests.Record(partner, "far", far)], Now + 5, CancellationToken.None);
        Assert.Equal([true], inserted);

        var spans = await SpansAsync(db);
        Assert.Contains((far - (far % 60), far - (far % 60) + 60), spans);
        Assert.Equal(ahead.Count + 1, spans.Count);
        Assert.Equal(far, Assert.Single(await store.LoadAsync(partner, Now + 5, CancellationToken.None)).ForgetAtUnixSeconds);
    }

    [Fact]
    public async Task ExpiredPartitionsAreDroppedWholeAndLiveOnesKept()
    {
        var (store, db) = await OpenAsync(horizon: 300);
        var partner = ApiFixture.NewPartnerId();
        await store.AppendAsync(
            [ReplayStoreContractTests.Record(partner, "soon", Now + 10), ReplayStoreContractTests.Record(partner, "later", Now + 100)], Now, CancellationToken.None);

        Assert.Equal(0, await store.ForgetExpiredAsync(Now + 59, CancellationToken.None));
        Assert.Contains(await SpansAsync(db), s => s.From == Now);

        Assert.Equal(1, await store.ForgetExpiredAsync(Now + 60, CancellationToken.None));
        var spans = await SpansAsync(db);
        Assert.DoesNotContain(spans, s => s.From == Now);
        Assert.Equal(Now + 60, spans.Min(s => s.From));
        // Created ahead from the new now on, too.
        Assert.True(spans.Max(s => s.To) > Now + 60 + 300);
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM jg_replay_jti"));
        Assert.Equal(Now + 100, Assert.Single(await store.LoadAsync(partner, Now + 60, CancellationToken.None)).ForgetAtUnixSeconds);
    }

    [Fact]
    public async Task TwoSilosWritingTheSameTokensAcceptEachOnce()
    {
        // Two activations of one grain during a failover, each on its own silo and pool, both
        // letting the same 64 tokens through at once: the partition's primary key takes each once.
        var (first, db) = await OpenAsync(horizon: 300);
        var second = new PostgresReplayStore(NewSource(db.ConnectionString), 60, 300);
        var partner = ApiFixture.NewPartnerId();
        var records = Enumerable.Range(0, 64).Select(i => ReplayStoreContractTests.Record(partner, "t" + i, Now + 30 + (i % 3 * 60))).ToArray();

        var results = await Task.WhenAll(
            Task.Run(() => first.AppendAsync(records, Now, CancellationToken.None)),
            Task.Run(() => second.AppendAsync([.. records.Reverse()], Now, CancellationToken.None)));

        for (var i = 0; i < records.Length; i++)
        {
            Assert.True(results[0][i] ^ results[1][records.Length - 1 - i], $"record {i} accepted by both or neither");
        }

        Assert.All(await first.AppendAsync(records, Now + 29, CancellationToken.None), Assert.False);
        Assert.Equal(64L, await ScalarAsync(db, "SELECT count(*) FROM jg_replay_jti"));
    }

    [Fact]
    public async Task AJtiReusedAfterItsTokenExpiredInTheSameSpanIsNew()
    {
        var (store, _) = await OpenAsync(horizon: 300);
        var partner = ApiFixture.NewPartnerId();
        await store.AppendAsync([ReplayStoreContractTests.Record(partner, "j", Now + 10)], Now, CancellationToken.None);

        var whileLive = await store.AppendAsync([ReplayStoreContractTests.Record(partner, "j", Now + 50)], Now + 9, CancellationToken.None);
        var afterExpiry = await store.AppendAsync([ReplayStoreContractTests.Record(partner, "j", Now + 50), ReplayStoreContractTests.Record(partner, "k", Now + 50)], Now + 10, CancellationToken.None);

        Assert.Equal([false], whileLive);
        Assert.Equal([true, true], afterExpiry);
        Assert.Equal([Now + 50, Now + 50], (await store.LoadAsync(partner, Now + 10, CancellationToken.None)).Select(r => r.ForgetAtUnixSeconds));
    }

    [Fact]
    public async Task LoadNeverReadsAPartitionThatHasPassed()
    {
        var (store, db) = await OpenAsync(horizon: 300);
        var partner = ApiFixture.NewPartnerId();
        await store.AppendAsync(
            [ReplayStoreContractTests.Record(partner, "old", Now + 10), ReplayStoreContractTests.Record(partner, "live", Now + 100)], Now, CancellationToken.None);

        // The product's own query text, as the generic plan a prepared statement ends up with.
        await using var connection = await db.OpenConnectionAsync();
        await using (var prepare = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE load AS {PostgresReplayStore.LoadSql}", connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, COSTS OFF) EXECUTE load({ReplayPartnerKey.Of(partner)}, {Now + 60})", connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        Assert.Contains("Subplans Removed", text);
        Assert.DoesNotContain($"jg_replay_jti_{Now}_{Now + 60}", text);
        Assert.Contains($"jg_replay_jti_{Now + 60}_{Now + 120}", text);
        Assert.Equal(["live"], (await store.LoadAsync(partner, Now + 60, CancellationToken.None)).Select(r => r.Jti == JtiDigest.Of("live") ? "live" : "?"));
    }

    [Fact]
    public async Task ADatabaseOfTheOlderBuildIsMigratedOnFirstUse()
    {
        var partner = ApiFixture.NewPartnerId();
        var (store, db) = await OpenAsync(horizon: 300, legacyPartner: partner);

        var live = await store.LoadAsync(partner, Now, CancellationToken.None);

        Assert.Equal([Now + 30, Now + 2000], live.Select(r => r.ForgetAtUnixSeconds).Order());
        var again = await store.AppendAsync(
            [ReplayStoreContractTests.Record(partner, "a", Now + 30), ReplayStoreContractTests.Record(partner, "b", Now + 2000), ReplayStoreContractTests.Record(partner, "gone", Now + 60)],
            Now, CancellationToken.None);
        Assert.Equal([false, false, true], again);
        Assert.Equal(0L, await ScalarAsync(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'jg_replay_digests' AND n.nspname = current_schema()"));
        // The old rows' forget-at times got partitions of their own, clipped to what existed.
        Assert.Contains(await SpansAsync(db), s => s.From <= Now + 2000 && Now + 2000 < s.To);
    }

    [Fact]
    public async Task PartitionsOfAnotherSpanLengthAreFilledAroundNotOverlapped()
    {
        var (_, db) = await OpenAsync(horizon: 300);
        await ScalarAsync(db, $"CREATE TABLE odd PARTITION OF jg_replay_jti (PRIMARY KEY (partner_key, jti)) FOR VALUES FROM ({Now + 90}) TO ({Now + 210})");
        var store = new PostgresReplayStore(db, 60, 300);

        await store.LoadAsync(ApiFixture.NewPartnerId(), Now, CancellationToken.None);

        var spans = await SpansAsync(db);
        Assert.Contains((Now + 60, Now + 90), spans);
        Assert.Contains((Now + 210, Now + 240), spans);
        var ordered = spans.Order().ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.Equal(ordered[i - 1].To, ordered[i].From);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    private async Task<(PostgresReplayStore Store, NpgsqlDataSource Db)> OpenAsync(int horizon, string? legacyPartner = null)
    {
        var schema = "t" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(stores.PostgresConnectionString))
        {
            await ScalarAsync(admin, $"CREATE SCHEMA {schema}");
        }

        var db = NewSource(new NpgsqlConnectionStringBuilder(stores.PostgresConnectionString) { SearchPath = schema }.ConnectionString);
        await ScalarAsync(db, PostgresReplayStore.Schema);
        if (legacyPartner is not null)
        {
            // What builds before time partitions created, with rows they wrote: two live, one expired.
            var partner = ReplayPartnerKey.Of(legacyPartner);
            await ScalarAsync(db, "CREATE TABLE jg_replay_digests (partner_key BIGINT NOT NULL, jti UUID NOT NULL, forget_at BIGINT NOT NULL, PRIMARY KEY (partner_key, jti))");
            await ScalarAsync(db, $"INSERT INTO jg_replay_digests VALUES "
                + $"({partner}, '{JtiDigest.Of("a").ToGuid()}', {Now + 30}), ({partner}, '{JtiDigest.Of("b").ToGuid()}', {Now + 2000}), "
                + $"({partner}, '{JtiDigest.Of("gone").ToGuid()}', {Now})");
        }

        return (new PostgresReplayStore(db, 60, horizon), db);
    }

    private NpgsqlDataSource NewSource(string connectionString)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        _sources.Add(source);
        return source;
    }

    private static async Task<List<(long From, long To)>> SpansAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. (await PostgresReplayPartitions.ListAsync(connection, CancellationToken.None)).Select(p => (p.From, p.To)).Order()];
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
