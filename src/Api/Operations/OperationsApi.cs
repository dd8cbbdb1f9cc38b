using JustGold.Api.Http;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Operations;

/// <summary>Liveness, readiness and metrics for the people who run the cluster.</summary>
internal static class OperationsApi
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        routes.MapGet("/readyz", ReadyAsync);
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }

    /// <summary>Ready when a silo answers and that silo reaches storage.</summary>
    private static async Task<IResult> ReadyAsync(IGrainFactory grains, TimeProvider time)
    {
        try
        {
            await grains.GetGrain<IPartnerDirectoryGrain>(0).CheckStorageAsync().WaitAsync(ReadinessTimeout);
            return TypedResults.Ok(new { status = "ready" });
        }
        catch (Exception)
        {
            return ErrorResults.ServiceUnavailable(time);
        }
    }
}
