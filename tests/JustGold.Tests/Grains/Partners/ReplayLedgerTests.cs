using JustGold.Grains.Partners;

namespace JustGold.Tests.Grains.Partners;

/// <summary>The in-memory set of used jti values: membership, expiry and the cost of forgetting.</summary>
public sealed class ReplayLedgerTests
{
    private const long Now = 1_800_000_000;

    [Fact]
    public void TryAdd_RefusesAJtiAlreadyHeld()
    {
        var ledger = new ReplayLedger();

        Assert.True(ledger.TryAdd("a", Now + 100));
        Assert.False(ledger.TryAdd("a", Now + 500));
        Assert.True(ledger.TryAdd("b", Now + 100));
        Assert.Equal(2, ledger.Count);
    }

    [Fact]
    public void Prune_ForgetsOnlyWhatHasExpired()
    {
        var ledger = new ReplayLedger();
        ledger.TryAdd("early", Now + 10);
        ledger.TryAdd("late", Now + 1000);

        Assert.Equal(0, ledger.Prune(Now + 9));
        Assert.True(ledger.Contains("early"));
        ledger.Prune(Now + 40);
        Assert.False(ledger.Contains("early"));
        Assert.True(ledger.Contains("late"));
    }

    [Fact]
    public void Prune_KeepsAJtiReaddedWithALaterExpiry()
    {
        var ledger = new ReplayLedger();
        ledger.TryAdd("j", Now + 10);
        ledger.Remove(JtiDigest.Of("j"));
        ledger.TryAdd("j", Now + 1000);

        ledger.Prune(Now + 100);

        Assert.True(ledger.Contains("j"));
    }

    [Fact]
    public void Prune_TouchesOnlyExpiredBuckets()
    {
        var ledger = new ReplayLedger();
        for (var i = 0; i < 100_000; i++)
        {
            ledger.TryAdd("live-" + i, Now + 3600);
        }

        for (var i = 0; i < 10; i++)
        {
            ledger.TryAdd("old-" + i, Now + 5);
        }

        Assert.Equal(10, ledger.Prune(Now + 100));
        Assert.Equal(100_000, ledger.Count);
    }
}
