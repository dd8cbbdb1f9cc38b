using JustGold.Grains.Partners;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;

namespace JustGold.Grains.Hosting;

/// <summary>
/// Spreads partner grains over the silos again after one returns. Placement alone never moves
/// an activation: after a restart every grain stayed on the silo that had taken it over, so the
/// next failure hit every partner. Each silo, every few seconds, reads how many partner grains
/// every active silo holds and migrates its share of the surplus to the emptiest ones
/// (<see cref="PartnerSpreadPlan"/>). A grain that moves finishes its calls on the old silo and
/// reloads keys and live jti records from storage on the new one, where PostgreSQL's primary
/// key is the last word on a jti.
/// <para>
/// Orleans' own activation rebalancer (experimental in Orleans 10) did this before, and could
/// not finish with few partners: it balances all activations, system targets included, stops a
/// few activations short of even, and a cycle that decides to move one moves none. With 8
/// partners it could leave 7 on one silo.
/// </para>
/// </summary>
internal sealed partial class PartnerRebalancer(
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILocalSiloDetails localSilo,
    LocalPartnerGrains local,
    IOptions<PartnerRebalancingOptions> options,
    TimeProvider time,
    ILogger<PartnerRebalancer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How Orleans names the partner grain type in its per-silo activation counts.</summary>
    private static readonly string PartnerGrainType = RuntimeTypeNameFormatter.Format(typeof(PartnerGrain));

    private readonly CancellationTokenSource _stopping = new();
    private Task _rounds = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PartnerRebalancer), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _rounds = RunAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _rounds.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Value.StartDelaySeconds), time, stopping);
            using var period = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PeriodSeconds), time);
            do
            {
                try
                {
                    await RoundAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // A silo that died since the membership snapshot fails the count; the next round has a newer one.
                    LogRoundFailed(logger, e.GetType().Name, e.Message);
                }
            }
            while (await period.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One comparison of counts, and this silo's moves; returns how many grains it handed off.</summary>
    internal async Task<int> RoundAsync()
    {
        var self = localSilo.SiloAddress;
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .ToArray();
        if (active.Length < 2 || !active.Contains(self) || local.Count == 0)
        {
            return 0;
        }

        var counts = active.ToDictionary(s => s, _ => 0);
        foreach (var statistic in await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics(active))
        {
            if (statistic.GrainType == PartnerGrainType && counts.ContainsKey(statistic.SiloAddress))
            {
                counts[statistic.SiloAddress] += statistic.ActivationCount;
            }
        }

        var o = options.Value;
        var tolerance = PartnerSpreadPlan.Tolerance(counts.Values.Sum(), counts.Count, o.TolerancePercent);
        var moves = PartnerSpreadPlan.MovesFrom(self, counts, Comparer<SiloAddress>.Default, tolerance, o.MaxMovesPerRound);
        var leaving = local.Take(moves.Sum(m => m.Grains));
        var moved = 0;
        foreach (var (to, count) in moves)
        {
            // The hint is where Orleans' placement puts the activation the grain moves to.
            var hint = new Dictionary<string, object> { [IPlacementDirector.PlacementHintKey] = to };
            foreach (var grain in leaving.Skip(moved).Take(count))
            {
                grain.Migrate(hint);
            }

            moved += count;
            LogMoving(logger, count, to.ToString(), counts[self], counts[to]);
        }

        return moved;
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information,
        Message = "Moving {Count} partner grains to silo {Silo} (here {Here}, there {There}) to spread partners over the silos")]
    private static partial void LogMoving(ILogger logger, int count, string silo, int here, int there);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning,
        Message = "Could not compare partner grain counts across silos ({Error}: {Reason}); trying again next round")]
    private static partial void LogRoundFailed(ILogger logger, string error, string reason);
}
