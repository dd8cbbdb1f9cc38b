using Microsoft.Extensions.DependencyInjection;

namespace JustGold.Grains.Hosting;

/// <summary>Wires <see cref="PartnerRebalancer"/> into a silo of a cluster, tunable under <c>Cluster:Rebalancing</c>.</summary>
internal static class PartnerRebalancing
{
    public static ISiloBuilder AddPartnerRebalancing(this ISiloBuilder silo, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        // ClusterSettingsReader has checked the section before any builder ran.
        silo.Services.AddOptions<PartnerRebalancingOptions>().Bind(configuration.GetSection(PartnerRebalancingOptions.SectionName));
        silo.Services.AddSingleton<PartnerRebalancer>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PartnerRebalancer>());
        return silo;
    }
}
