using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace JustGold.Grains.Hosting;

/// <summary>
/// Spreads partner grains over the silos again after one returns. Placement alone never moves
/// an activation: after a restart every grain stayed on the silo that had taken it over, so the
/// next failure hit every partner. Orleans' activation rebalancer compares silos' activation
/// counts (weighted by memory) every cycle and migrates the difference; a partner grain that
/// moves finishes its calls on the old silo and reloads keys and live jti records from storage
/// on the new one, where PostgreSQL's primary key is the last word on a jti.
/// Tunable under <c>Cluster:Rebalancing</c> (Orleans <c>ActivationRebalancerOptions</c>).
/// </summary>
internal static class PartnerRebalancing
{
    public const string Section = $"{ClusterSettings.SectionName}:Rebalancing";

    public static ISiloBuilder AddPartnerRebalancing(this ISiloBuilder silo, IConfiguration configuration)
    {
#pragma warning disable ORLEANSEXP002 // The rebalancer is marked experimental in Orleans 10; its behaviour is tested here under traffic.
        silo.AddActivationRebalancer();
#pragma warning restore ORLEANSEXP002
        silo.Configure<ActivationRebalancerOptions>(o =>
        {
            // First look 5 s after start, then a cycle every 3 s while silos differ (Orleans: 60 s
            // and 15 s; a cycle must exceed twice the 1 s load-publishing period). The cycle weight
            // at its maximum lets the first cycles move most of the difference instead of a tenth.
            o.RebalancerDueTime = TimeSpan.FromSeconds(5);
            o.SessionCyclePeriod = TimeSpan.FromSeconds(3);
            o.CycleNumberWeight = 1;
        });
        silo.Configure<ActivationRebalancerOptions>(configuration.GetSection(Section));
        return silo;
    }
}
