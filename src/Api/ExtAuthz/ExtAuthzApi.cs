namespace JustGold.Api.ExtAuthz;

/// <summary>
/// Envoy ext_authz over gRPC. gRPC needs HTTP/2; without TLS that is an HTTP/2-only (h2c) Kestrel
/// endpoint, which the default configuration does not open: an operator who runs Envoy adds one
/// (Kestrel:Endpoints, see docs/gateways.md). On HTTP/1.1 endpoints the service cannot be reached.
/// </summary>
internal static class ExtAuthzApi
{
    public static IServiceCollection AddExtAuthz(this IServiceCollection services)
    {
        services.AddGrpc();
        return services;
    }

    public static IEndpointRouteBuilder MapExtAuthzApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGrpcService<ExtAuthzService>();
        return routes;
    }
}
