using System.Text;
using Grpc.Core;
using JustGold.Api.Authentication;
using JustGold.Api.Authentication.Scheme;
using JustGold.Api.ExtAuthz.Envoy;
using Microsoft.Net.Http.Headers;
using static JustGold.Api.ExtAuthz.Envoy.HeaderValueOption.Types;
using HttpCode = JustGold.Api.ExtAuthz.Envoy.StatusCode;
using RpcCode = Grpc.Core.StatusCode;

namespace JustGold.Api.ExtAuthz;

/// <summary>
/// Envoy's <c>envoy.service.auth.v3.Authorization/Check</c>: the checks of <c>/v1/ping</c> on the
/// request's <c>authorization</c> header. Allowed is OK with the identity headers set (overwriting
/// a client's) and absent ones removed; refused is UNAUTHENTICATED with the 401 of
/// <c>/v1/authorize</c>; undecidable is UNAVAILABLE with its 503 — the same
/// <see cref="PartnerRefusal"/> the HTTP endpoints answer with.
/// </summary>
internal sealed partial class ExtAuthzService(PartnerTokenAuthenticator authenticator, TimeProvider time, ILogger<ExtAuthzService> logger)
    : Authorization.AuthorizationBase
{
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        var http = request.Attributes?.Request?.Http;
        var result = await authenticator.AuthenticateAsync(Header(http, "authorization"));
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogChecked(logger, TokenLogValue.Escape(http?.Method), TokenLogValue.Escape(http?.Path), result.Failure.ToErrorCode(),
                TokenLogValue.Escape(result.Partner), TokenLogValue.Escape(result.Kid), TokenLogValue.Escape(result.Jti));
        }

        return result.Succeeded ? Allow(result) : Deny(PartnerRefusal.From(result, time));
    }

    private static CheckResponse Allow(AuthenticationResult result)
    {
        var ok = new OkHttpResponse();
        foreach (var (name, value) in PartnerHeaders.For(result))
        {
            if (value is null)
            {
                ok.HeadersToRemove.Add(name);
            }
            else
            {
                ok.Headers.Add(Overwrite(name, value));
            }
        }

        // The token is used up; the upstream gets the identity instead.
        ok.HeadersToRemove.Add(HeaderNames.Authorization);
        return new CheckResponse { Status = new RpcStatus { Code = (int)RpcCode.OK }, OkResponse = ok };
    }

    private static CheckResponse Deny(PartnerRefusal refusal)
    {
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = refusal.Unavailable ? HttpCode.ServiceUnavailable : HttpCode.Unauthorized },
            Body = refusal.BodyJson(),
        };
        denied.Headers.Add(Overwrite(HeaderNames.ContentType, "application/json; charset=utf-8"));
        denied.Headers.Add(Overwrite(HeaderNames.CacheControl, PartnerRefusal.NoStore));
        if (refusal.Challenge is not null)
        {
            denied.Headers.Add(Overwrite(HeaderNames.WWWAuthenticate, refusal.Challenge));
            denied.Headers.Add(Overwrite(PartnerHeaders.AuthError, refusal.ErrorCode));
        }

        var code = refusal.Unavailable ? RpcCode.Unavailable : RpcCode.Unauthenticated;
        return new CheckResponse { Status = new RpcStatus { Code = (int)code, Message = refusal.ErrorCode }, DeniedResponse = denied };
    }

    private static HeaderValueOption Overwrite(string name, string value) => new()
    {
        Header = new HeaderValue { Key = name, Value = value },
        AppendAction = HeaderAppendAction.OverwriteIfExistsOrAdd,
    };

    private static string? Header(AttributeContext.Types.HttpRequest? http, string name)
    {
        if (http is null)
        {
            return null;
        }

        if (http.Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        var raw = http.HeaderMap?.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        return raw is null ? null : raw.Value.Length > 0 ? raw.Value : Encoding.UTF8.GetString(raw.RawValue.Span);
    }

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Envoy check of {Method} {Path}: {Result} iss={Issuer} kid={Kid} jti={Jti}")]
    private static partial void LogChecked(ILogger logger, string? method, string? path, string result, string? issuer, string? kid, string? jti);
}
