using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace JustGold.Operations;

/// <summary>The same <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on silos and API nodes.</summary>
public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder routes)
    {
        // Liveness runs no check: a process that answers is alive, whatever its storage does.
        routes.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteLivenessAsync,
        });
        routes.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(OperationsServices.ReadinessTag),
            ResponseWriter = HealthResponseWriter.WriteReadinessAsync,
        });
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }
}
