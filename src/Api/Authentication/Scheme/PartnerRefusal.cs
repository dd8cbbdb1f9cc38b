using System.Text.Json;
using JustGold.Api.Http;
using JustGold.Api.Authentication;
using Microsoft.Net.Http.Headers;

namespace JustGold.Api.Authentication.Scheme;

/// <summary>
/// The one translation of a refused or undecidable verification into what a caller sees:
/// 401 with the RFC 6750 challenge, <c>X-Auth-Error</c> and the JSON body, or 503
/// <c>service_unavailable</c>. The HTTP challenge and Envoy's <c>Check</c> both answer with it.
/// </summary>
internal sealed record PartnerRefusal(int Status, string ErrorCode, string? Challenge, ErrorResponse Body)
{
    public const string NoStore = "no-store";

    public bool Unavailable => Status == StatusCodes.Status503ServiceUnavailable;

    public static PartnerRefusal From(AuthenticationResult result, TimeProvider time)
    {
        if (result.Failure == TokenFailure.ServiceUnavailable)
        {
            var unavailable = ErrorResults.ServiceUnavailableBody(time);
            return new PartnerRefusal(StatusCodes.Status503ServiceUnavailable, unavailable.Error, null, unavailable);
        }

        var code = result.Failure.ToErrorCode();

        // RFC 6750 §3: no error attributes when the request carried no credentials at all.
        var challenge = result.Failure == TokenFailure.MissingToken
            ? $"Bearer realm=\"{PartnerTokenDefaults.Realm}\""
            : $"Bearer realm=\"{PartnerTokenDefaults.Realm}\", error=\"invalid_token\", error_description=\"{code}\"";
        return new PartnerRefusal(StatusCodes.Status401Unauthorized, code, challenge,
            new ErrorResponse(code, result.Message, time.GetUtcNow().ToUnixTimeSeconds()));
    }

    public string BodyJson() => JsonSerializer.Serialize(Body, ApiJsonContext.Default.ErrorResponse);

    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.Headers.CacheControl = NoStore;
        if (Challenge is not null)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
            response.Headers[PartnerHeaders.AuthError] = ErrorCode;
        }

        return response.WriteAsJsonAsync(Body, ApiJsonContext.Default.ErrorResponse);
    }
}
