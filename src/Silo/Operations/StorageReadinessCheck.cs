using JustGold.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JustGold.Silo.Operations;

/// <summary>Ready while this silo's own storage answers a trivial query.</summary>
internal sealed class StorageReadinessCheck(IPartnerStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await store.CheckAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
