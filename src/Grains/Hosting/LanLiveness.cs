using Orleans.Configuration;

namespace JustGold.Grains.Hosting;

/// <summary>
/// Failure-detection defaults for silos on one LAN, where a healthy silo answers a probe in
/// well under a millisecond and a dead one refuses the connection at once. Orleans' own
/// defaults suit wide, noisy networks and took 10–15 s to declare a killed silo dead; these
/// take about 2–3 s. The price is a higher chance of suspecting a silo that merely paused
/// (a long GC or a starved machine) — Orleans widens the probe timeout while the prober itself
/// is degraded and ignores probes missed while messages still arrive, which covers the common
/// cases. Every value can be overridden under <c>Cluster:Liveness</c>.
/// </summary>
internal static class LanLiveness
{
    public static void Apply(ClusterMembershipOptions options)
    {
        // Probe every second or so (adaptive between 0.5 and 4 s); three misses in a row make a suspicion.
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 3;

        // Votes from two silos declare death (one suffices in a two-silo cluster); old votes lapse sooner.
        options.NumVotesForDeathDeclaration = 2;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);

        // Membership is re-read every 10 s (gossip normally tells sooner) and heartbeats are written every 10 s.
        options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
