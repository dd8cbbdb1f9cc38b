using JustGold.Grains.Partners;
using JustGold.Grains.Storage;
using JustGold.Grains.Storage.Journal;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Grains.Storage;

/// <summary>
/// Both replay stores held to one contract: the embedded journal (real files in a fresh folder)
/// and PostgreSQL (a real server started for the run). Any JSON string is a jti: NUL, lone
/// surrogates and near-misses must be kept apart and found again exactly.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ReplayStoreContractTests(PartnerStoreFixture stores) : IDisposable
{
    private const long Now = 1_800_000_000;

    private static readonly string[] OddJti =
    [
        "a\u0000b", "a\u0000c", "a", "a\u0000", "\u0000", "\ud800", "\udc00x", "line\nbreak", "\"quoted\"", new string('z', 256),
    ];

    private readonly List<IDisposable> _opened = [];

    public static TheoryData<string> Providers => new() { "journal", "postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnyJsonStringIsStoredAndFoundExactly(string provider)
    {
        var store = Open(provider);
        var partner = ApiFixture.NewPartnerId();

        var inserted = await store.AppendAsync([.. OddJti.Select(j => Record(partner, j, Now + 100))], Now, CancellationToken.None);
        var live = await store.LoadAsync(partner, Now, CancellationToken.None);

        Assert.All(inserted, Assert.True);
        Assert.Equal(OddJti.Select(JtiDigest.Of).ToHashSet(), live.Select(r => r.Jti).ToHashSet());
        Assert.Equal(OddJti.Length, live.Count);
        Assert.Equal(OddJti.Length, OddJti.Select(JtiDigest.Of).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SecondCopyInOneBatchIsReportedAsReplay(string provider)
    {
        var store = Open(provider);
        var partner = ApiFixture.NewPartnerId();

        var result = await store.AppendAsync(
            [Record(partner, "a\u0000", Now + 100), Record(partner, "b", Now + 100), Record(partner, "a\u0000", Now + 100), Record("o" + partner, "a\u0000", Now + 100)],
            Now, CancellationToken.None);

        Assert.Equal([true, true, false, true], result);
        Assert.Equal(2, (await store.LoadAsync(partner, Now, CancellationToken.None)).Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LoadReturnsOnlyLiveRecordsOfThatPartner(string provider)
    {
        var store = Open(provider);
        var partner = ApiFixture.NewPartnerId();
        await store.AppendAsync(
            [Record(partner, "old", Now + 5), Record(partner, "live", Now + 50), Record("x" + partner, "other", Now + 50)], Now, CancellationToken.None);

        var live = await store.LoadAsync(partner, Now + 5, CancellationToken.None);

        Assert.Equal([JtiDigest.Of("live")], live.Select(r => r.Jti));
        Assert.Equal(Now + 50, live[0].ForgetAtUnixSeconds);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ForgetExpiredKeepsWhatIsLive(string provider)
    {
        var store = Open(provider);
        var partner = ApiFixture.NewPartnerId();
        await store.AppendAsync([Record(partner, "old", Now - 100_000), Record(partner, "live", Now + 100_000)], Now - 200_000, CancellationToken.None);

        Assert.True(await store.ForgetExpiredAsync(Now, CancellationToken.None) > 0);

        var remaining = await store.LoadAsync(partner, 0, CancellationToken.None);
        Assert.Equal([JtiDigest.Of("live")], remaining.Select(r => r.Jti));
    }

    [Fact]
    public async Task Postgres_ReportsAJtiAlreadyLiveFromAnotherBatch()
    {
        // What stops two activations of one grain (a failover) from both accepting a token: the same
        // token has the same exp, so the same forget-at (docs/capacity.md on a jti reused by another token).
        var store = stores.PostgresReplay;
        var partner = ApiFixture.NewPartnerId();
        await store.AppendAsync([Record(partner, "j\u0000", Now + 10)], Now, CancellationToken.None);

        var whileLive = await store.AppendAsync([Record(partner, "j\u0000", Now + 10), Record(partner, "k", Now + 500)], Now + 9, CancellationToken.None);
        var afterExpiry = await store.AppendAsync([Record(partner, "j\u0000", Now + 500)], Now + 10, CancellationToken.None);

        Assert.Equal([false, true], whileLive);
        Assert.Equal([true], afterExpiry);
        var live = await store.LoadAsync(partner, Now + 400, CancellationToken.None);
        Assert.Equal(Now + 500, live.Single(r => r.Jti == JtiDigest.Of("j\u0000")).ForgetAtUnixSeconds);
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }
    }

    internal static ReplayRecord Record(string partner, string jti, long forgetAt) => new(partner, JtiDigest.Of(jti), forgetAt);

    private IReplayStore Open(string provider)
    {
        if (provider == "postgres")
        {
            return stores.PostgresReplay;
        }

        var journal = new JournalReplayStore(stores.NewJournalDirectory(), 60, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now - 300_000)));
        _opened.Add(journal);
        return journal;
    }
}
