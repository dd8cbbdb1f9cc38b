using System.Security.Claims;
using System.Text.Encodings.Web;
using JustGold.Api.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JustGold.Api.Authentication.Scheme;

/// <summary>
/// The partner-token scheme, in the JwtBearerHandler shape: authenticate reads the bearer token
/// and runs the whole verification once per request (the jti is used up here); challenge turns
/// the refusal into the contract's 401 or 503. <c>/v1/ping</c>, <c>/v1/authorize</c> and
/// Envoy's <c>Check</c> share <see cref="PartnerRefusal"/> for the answer.
/// </summary>
internal sealed partial class PartnerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    PartnerTokenAuthenticator authenticator,
    TimeProvider time,
    ILogger<PartnerTokenHandler> logger)
    // The base class logs every failure and challenge at Information; the contract allows no
    // Information line per failing request, so it gets no logger and this class logs at Debug.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    private AuthenticationResult? _result;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<PartnerTokenEndpoint>() is null)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await authenticator.AuthenticateAsync(Request.Headers.Authorization.FirstOrDefault());
        _result = result;
        Context.Features.Set(result);
        LogGatewayRequest(result);
        if (!result.Succeeded)
        {
            return AuthenticateResult.Fail(result.Failure.ToErrorCode());
        }

        return AuthenticateResult.Success(new AuthenticationTicket(CreatePrincipal(result, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var result = _result ?? AuthenticationResult.Fail(TokenFailure.MissingToken, FailureMessages.MissingToken);
        await PartnerRefusal.From(result, time).WriteAsync(Response);
    }

    internal static ClaimsPrincipal CreatePrincipal(AuthenticationResult result, string scheme)
    {
        var claims = new List<Claim>(4) { new(PartnerClaimTypes.PartnerId, result.Partner!), new(PartnerClaimTypes.Kid, result.Kid!) };
        if (result.Subject is not null)
        {
            claims.Add(new Claim(PartnerClaimTypes.Subject, result.Subject));
        }

        if (result.Jti is not null)
        {
            claims.Add(new Claim(PartnerClaimTypes.Jti, result.Jti));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, PartnerClaimTypes.PartnerId, null));
    }

    /// <summary>Gateways name the request they ask about; it is logged with the result and changes nothing.</summary>
    private void LogGatewayRequest(AuthenticationResult result)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var headers = Request.Headers;
        var uri = headers["X-Original-URI"].FirstOrDefault() ?? headers["X-Forwarded-Uri"].FirstOrDefault();
        var method = headers["X-Original-Method"].FirstOrDefault() ?? headers["X-Forwarded-Method"].FirstOrDefault();
        if (uri is not null || method is not null)
        {
            LogForGateway(logger, TokenLogValue.Escape(method), TokenLogValue.Escape(uri), result.Failure.ToErrorCode(),
                TokenLogValue.Escape(result.Partner), TokenLogValue.Escape(result.Kid), TokenLogValue.Escape(result.Jti));
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Gateway check of {Method} {Uri}: {Result} iss={Issuer} kid={Kid} jti={Jti}")]
    private static partial void LogForGateway(ILogger logger, string? method, string? uri, string result, string? issuer, string? kid, string? jti);
}
