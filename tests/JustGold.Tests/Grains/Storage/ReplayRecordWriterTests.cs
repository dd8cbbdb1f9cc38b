using JustGold.Grains.Diagnostics;
using JustGold.Grains.Partners;
using JustGold.Grains.Storage;
using JustGold.Grains.Storage.Journal;
using JustGold.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using static JustGold.Tests.Grains.Storage.ReplayStoreContractTests;

namespace JustGold.Tests.Grains.Storage;

/// <summary>The group commit on a real PostgreSQL: a record storage refuses fails alone, never its batch.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReplayRecordWriterTests(PartnerStoreFixture stores)
{
    [Fact]
    public async Task ARecordStorageRefusesFailsOnlyItselfNotTheOthersInItsBatch()
    {
        var refusedPartner = ApiFixture.NewPartnerId();
        var refused = Record(refusedPartner, "refused-by-storage", 1_800_000_100);
        await RefuseInPostgresAsync(refused.Jti);
        var others = Enumerable.Range(0, 30).Select(i => Record(ApiFixture.NewPartnerId(), "ok-" + i, 1_800_000_100)).ToArray();
        using var writer = new ReplayRecordWriter(
            stores.PostgresReplay,
            Options.Create(new StorageOptions { ReplayCommitDelayMilliseconds = 0 }),
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)),
            new PartnerAuthMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<ReplayRecordWriter>.Instance);

        // Queued before the writer starts, so all 31 go into its first group commit.
        var pending = others.Take(15).Append(refused).Concat(others.Skip(15)).Select(writer.AppendAsync).ToArray();
        await writer.StartAsync(CancellationToken.None);

        await Assert.ThrowsAsync<PostgresException>(() => pending[15]);
        Assert.All(await Task.WhenAll(pending.Where((_, i) => i != 15)), Assert.True);
        Assert.Single(await stores.PostgresReplay.LoadAsync(others[0].PartnerId, 1_800_000_000, CancellationToken.None));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task UnderLoadTheCommitWaitsForRecordsStillArrivingAndSyncsThemTogether()
    {
        using var journal = new JournalReplayStore(stores.NewJournalDirectory(), 60, TimeProvider.System);
        using var batches = new BatchSizes();
        // A long delay so that the test's next lines surely land inside it, even when parallel test
        // collections keep the pool busy and its 20 ms pause runs long (CI saw one over 100 ms); the default is 1 ms.
        using var writer = batches.Writer(journal, new StorageOptions { ReplayCommitDelayMilliseconds = 1000, ReplayCommitSiblings = 1 });
        await writer.StartAsync(CancellationToken.None);
        var partner = ApiFixture.NewPartnerId();

        // The writer wakes for "a", finds one sibling and waits; "b" and "c" arrive meanwhile.
        var a = writer.AppendAsync(Record(partner, "a", 1_800_000_100));
        var b = writer.AppendAsync(Record(partner, "b", 1_800_000_100));
        await Task.Delay(20);
        var c = writer.AppendAsync(Record(partner, "c", 1_800_000_100));
        Assert.All(await Task.WhenAll(a, b, c), Assert.True);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal([3], batches.Seen());
        Assert.Equal(3, (await journal.LoadAsync(partner, 1_700_000_000, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task RecordsThatQueueWhileACommitIsWrittenGatherForTheDelayHoweverFewTheyAre()
    {
        using var journal = new JournalReplayStore(stores.NewJournalDirectory(), 60, TimeProvider.System);
        var held = new FirstCommitHeld(journal);
        using var batches = new BatchSizes();
        // Siblings far above what the test queues: only the records' arrival during a commit can make it wait.
        using var writer = batches.Writer(held, new StorageOptions { ReplayCommitDelayMilliseconds = 1000, ReplayCommitSiblings = 100 });
        await writer.StartAsync(CancellationToken.None);
        var partner = ApiFixture.NewPartnerId();

        // A lone record on a quiet writer is written at once, well inside the delay.
        var a = writer.AppendAsync(Record(partner, "a", 1_800_000_100));
        Assert.Same(held.Entered, await Task.WhenAny(held.Entered, Task.Delay(900)));

        // "b" and "c" queue while "a" is being written; once it is, they wait for "d" and share one sync.
        var b = writer.AppendAsync(Record(partner, "b", 1_800_000_100));
        var c = writer.AppendAsync(Record(partner, "c", 1_800_000_100));
        held.Release();
        Assert.True(await a);
        await Task.Delay(20);
        var d = writer.AppendAsync(Record(partner, "d", 1_800_000_100));
        Assert.All(await Task.WhenAll(b, c, d), Assert.True);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal([1, 3], batches.Seen());
        Assert.Equal(4, (await journal.LoadAsync(partner, 1_700_000_000, CancellationToken.None)).Count);
    }

    private async Task RefuseInPostgresAsync(JtiDigest jti)
    {
        // A real refusal by the server: a trigger that raises for one digest.
        await using var connection = new NpgsqlConnection(stores.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            CREATE OR REPLACE FUNCTION jg_test_refuse() RETURNS trigger AS $$
            BEGIN
              IF NEW.jti = '{jti.ToGuid()}'::uuid THEN RAISE EXCEPTION 'refused for the test'; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE OR REPLACE TRIGGER jg_test_refuse BEFORE INSERT ON jg_replay_jti FOR EACH ROW EXECUTE FUNCTION jg_test_refuse();
            """;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The sizes of the group commits of the writers it makes, seen through the writer's own metric.</summary>
    private sealed class BatchSizes : IDisposable
    {
        private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly List<int> _sizes = [];

        public BatchSizes()
        {
            var meterFactory = _meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            _listener.InstrumentPublished = (instrument, l) =>
            {
                // Only this test's meter: writers of tests running in parallel publish the same instrument name.
                if (instrument.Name == "partner_auth.replay_records.batch_size" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
            {
                lock (_sizes)
                {
                    _sizes.Add(size);
                }
            });
            _listener.Start();
        }

        public ReplayRecordWriter Writer(IReplayStore store, StorageOptions options) => new(
            store,
            Options.Create(options),
            TimeProvider.System,
            new PartnerAuthMetrics(_meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<ReplayRecordWriter>.Instance);

        public int[] Seen()
        {
            lock (_sizes)
            {
                return [.. _sizes];
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            _meters.Dispose();
        }
    }

    /// <summary>
    /// The real journal, except that its first commit waits for the test's word: what the writer does
    /// with records that arrive while a commit is on its way to disk is then seen, not hoped for.
    /// </summary>
    private sealed class FirstCommitHeld(IReplayStore inner) : IReplayStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _commits;

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public Task<IReadOnlyList<ReplayRecord>> LoadAsync(string partnerId, long nowUnixSeconds, CancellationToken cancellationToken) =>
            inner.LoadAsync(partnerId, nowUnixSeconds, cancellationToken);

        public async Task<bool[]> AppendAsync(IReadOnlyList<ReplayRecord> records, long nowUnixSeconds, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _commits) == 1)
            {
                _entered.TrySetResult();
                await _released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return await inner.AppendAsync(records, nowUnixSeconds, cancellationToken);
        }

        public Task<int> ForgetExpiredAsync(long nowUnixSeconds, CancellationToken cancellationToken) =>
            inner.ForgetExpiredAsync(nowUnixSeconds, cancellationToken);
    }
}
