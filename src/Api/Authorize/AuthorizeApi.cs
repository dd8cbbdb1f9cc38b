using JustGold.Api.Authentication.Scheme;
using JustGold.Api.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JustGold.Api.Authorize;

/// <summary>
/// <c>/v1/authorize</c> and <c>/v1/authorize/{anything}</c>, any method: the checks of
/// <c>/v1/ping</c> for a gateway in front of a JustGold API. Allowed is an empty 200 with the
/// partner's identity in headers; refusals are the partner-token scheme's 401 or 503.
/// </summary>
internal static class AuthorizeApi
{
    public static IEndpointRouteBuilder MapAuthorizeApi(this IEndpointRouteBuilder routes)
    {
        // One catch-all route: it matches "/v1/authorize" itself as well. Map takes every method,
        // and the handler never reads a body.
        routes.Map("/v1/authorize/{**rest}", Allow).RequirePartnerToken();
        return routes;
    }

    private static Ok Allow(HttpContext context)
    {
        var result = context.Features.GetRequiredFeature<AuthenticationResult>();
        var headers = context.Response.Headers;

        // A cached 200 would let a replay through.
        headers.CacheControl = PartnerRefusal.NoStore;
        foreach (var (name, value) in PartnerHeaders.For(result))
        {
            if (value is not null)
            {
                headers[name] = value;
            }
        }

        return TypedResults.Ok();
    }
}
