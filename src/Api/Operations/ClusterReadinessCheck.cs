using JustGold.Grains.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JustGold.Api.Operations;

/// <summary>Ready when a silo answers and that silo reaches storage: one call to the directory grain.</summary>
internal sealed class ClusterReadinessCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The grain call takes no token; WaitAsync lets the check's timeout end the wait.
        await grains.GetGrain<IPartnerDirectoryGrain>(0).CheckStorageAsync().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
