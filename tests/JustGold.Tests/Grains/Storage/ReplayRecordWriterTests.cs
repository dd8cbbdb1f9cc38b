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
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var batches = new List<int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: writers of tests running in parallel publish the same instrument name.
            if (instrument.Name == "partner_auth.replay_records.batch_size" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            lock (batches)
            {
                batches.Add(size);
            }
        });
        listener.Start();
        // A long delay so that the test's next lines surely land inside it, even when parallel test
        // collections keep the pool busy and its 20 ms pause runs long (CI saw one over 100 ms); the default is 1 ms.
        using var writer = new ReplayRecordWriter(
            journal,
            Options.Create(new StorageOptions { ReplayCommitDelayMilliseconds = 1000, ReplayCommitSiblings = 1 }),
            TimeProvider.System,
            new PartnerAuthMetrics(meterFactory),
            NullLogger<ReplayRecordWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var partner = ApiFixture.NewPartnerId();

        // The writer wakes for "a", finds one sibling and waits; "b" and "c" arrive meanwhile.
        var a = writer.AppendAsync(Record(partner, "a", 1_800_000_100));
        var b = writer.AppendAsync(Record(partner, "b", 1_800_000_100));
        await Task.Delay(20);
        var c = writer.AppendAsync(Record(partner, "c", 1_800_000_100));
        Assert.All(await Task.WhenAll(a, b, c), Assert.True);
        await writer.StopAsync(CancellationToken.None);

        lock (batches)
        {
            Assert.Equal([3], batches);
        }

        Assert.Equal(3, (await journal.LoadAsync(partner, 1_700_000_000, CancellationToken.None)).Count);
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
}
