using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace JustGold.Operations;

/// <summary>What every process of the cluster registers for the people who run it: health checks and metrics.</summary>
public static class OperationsServices
{
    /// <summary>The tag that puts a check behind <c>/readyz</c>; <c>/healthz</c> runs none.</summary>
    public const string ReadinessTag = "ready";

    /// <summary>How long one readiness check may take before it counts as unhealthy.</summary>
    public static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Health checks, and the given meters exported for Prometheus scraping, but for the
    /// instruments named in <paramref name="unexportedInstruments"/>: a dropped instrument is not
    /// listened to, so its owner does not record it.
    /// </summary>
    /// <returns>The health checks builder, to add the process's own readiness checks.</returns>
    public static IHealthChecksBuilder AddOperations(
        this IServiceCollection services, IEnumerable<string> meterNames, IEnumerable<string> unexportedInstruments)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        ArgumentNullException.ThrowIfNull(unexportedInstruments);
        var meters = meterNames.ToArray();
        var dropped = unexportedInstruments.ToHashSet(StringComparer.Ordinal);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(meters)
            .AddView(instrument => dropped.Contains(instrument.Name) ? MetricStreamConfiguration.Drop : null)
            .AddPrometheusExporter());
        services.AddSingleton<ReadinessLog>();
        return services.AddHealthChecks();
    }

    /// <summary>A check behind <c>/readyz</c>, unhealthy when it throws or runs past <see cref="ReadinessTimeout"/>.</summary>
    public static IHealthChecksBuilder AddReadinessCheck<T>(this IHealthChecksBuilder builder, string name)
        where T : class, IHealthCheck =>
        builder.AddCheck<T>(name, HealthStatus.Unhealthy, [ReadinessTag], ReadinessTimeout);
}
