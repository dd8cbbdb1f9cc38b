using JustGold.Api.Authentication;
using JustGold.Api.Authentication.Scheme;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JustGold.Api.Ping;

/// <summary><c>GET /v1/ping</c>: the health check behind partner authentication.</summary>
internal static class PingApi
{
    public static IEndpointRouteBuilder MapPingApi(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1");
        v1.MapGet("/ping", Ping).RequirePartnerToken();
        return routes;
    }

    // Reached only for a verified token: refusals are the partner-token scheme's challenge.
    private static Ok<PingResponse> Ping(HttpContext context, TimeProvider time)
    {
        var result = context.Features.GetRequiredFeature<AuthenticationResult>();
        return TypedResults.Ok(new PingResponse("ok", result.Partner!, result.Subject, time.GetUtcNow().ToUnixTimeSeconds()));
    }
}
