using BenchmarkDotNet.Attributes;
using JustGold.Grains.Partners;

namespace JustGold.Benchmarks;

/// <summary>
/// The grain's replay step: <see cref="ReplayLedger.Prune"/> then <see cref="ReplayLedger.TryAdd"/>, as
/// PartnerGrain.ConfirmAsync does it, in a steady state of about 262k live jti values (virtual clock:
/// 1,024 confirmations a second, each jti living 256 s), plus the refusal of a replayed jti.
/// </summary>
public class ReplayLedgerBenchmarks
{
    private const int RingSize = 1 << 19;
    private const int PerSecond = 1024;
    private const int LifetimeSeconds = 256;
    private const long Start = 1_800_000_000;

    private readonly string[] _jtis = new string[RingSize];
    private ReplayLedger _ledger = null!;
    private long _counter;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < RingSize; i++)
        {
            _jtis[i] = Guid.NewGuid().ToString();
        }

        _ledger = new ReplayLedger();
        // Reach the steady state (what is added equals what expires) before measuring.
        for (var i = 0; i < 2 * PerSecond * LifetimeSeconds; i++)
        {
            Confirm();
        }
    }

    /// <summary>One confirmation of a fresh jti: prune what has expired, then check-and-insert.</summary>
    [Benchmark]
    public bool PruneAndTryAddFresh() => Confirm();

    /// <summary>A replayed jti: the digest is found and the add refused.</summary>
    [Benchmark]
    public bool TryAddReplayed() => _ledger.TryAdd(_jtis[(_counter - 1) & (RingSize - 1)], Start);

    private bool Confirm()
    {
        var sequence = _counter++;
        var now = Start + (sequence / PerSecond);
        _ledger.Prune(now);
        return _ledger.TryAdd(_jtis[sequence & (RingSize - 1)], now + LifetimeSeconds);
    }
}
