using JustGold.Api.Authentication;
using JustGold.Api.Http;
using Microsoft.Net.Http.Headers;

namespace JustGold.Api.Ping;

/// <summary><c>GET /v1/ping</c>: the health check behind partner authentication.</summary>
internal static class PingApi
{
    private const string Realm = "justgold-api";

    public static IEndpointRouteBuilder MapPingApi(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1");
        v1.MapGet("/ping", PingAsync);
        return routes;
    }

    private static async Task<IResult> PingAsync(HttpRequest request, PartnerTokenAuthenticator authenticator, TimeProvider time)
    {
        var result = await authenticator.AuthenticateAsync(request.Headers.Authorization.FirstOrDefault());
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (result.Succeeded)
        {
            return TypedResults.Ok(new PingResponse("ok", result.Partner, result.Subject, now));
        }

        var code = result.Failure.ToErrorCode();
        if (result.Failure == TokenFailure.ServiceUnavailable)
        {
            return ErrorResults.ServiceUnavailable(time);
        }

        // RFC 6750 §3: no error attributes when the request carried no credentials at all.
        request.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] = result.Failure == TokenFailure.MissingToken
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{code}\"";
        return TypedResults.Json(new ErrorResponse(code, result.Message, now), statusCode: StatusCodes.Status401Unauthorized);
    }
}
