using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JustGold.Silo.Operations;

/// <summary>Ready once the host has started, which for a silo means it has joined the cluster.</summary>
internal sealed class SiloStartedCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
}
