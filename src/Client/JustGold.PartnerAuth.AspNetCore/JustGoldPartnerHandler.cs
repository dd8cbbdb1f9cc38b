using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JustGold.PartnerAuth.AspNetCore;

/// <summary>
/// Authenticates a request by asking the partner authentication cluster once: the
/// <c>Authorization</c> header goes to <c>/v1/authorize</c>, a 200 becomes a principal (partner id,
/// subject, kid, jti), a 401 is handed back to the caller as the cluster wrote it, and anything
/// else — 503, a timeout, no connection — fails closed with 503. No caching and no merging of
/// identical concurrent tokens: tokens are single-use, so each request is its own question.
/// </summary>
public sealed partial class JustGoldPartnerHandler(
    IOptionsMonitor<JustGoldPartnerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IHttpClientFactory httpClients)
    // The base class logs every failure and challenge at Information; like the cluster, this handler
    // adds no Information line per refused request (callers must not be able to grow the logs).
    : AuthenticationHandler<JustGoldPartnerOptions>(options, NullLoggerFactory.Instance, encoder)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<JustGoldPartnerHandler>();
    private ClusterRefusal? _refusal;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();

        // Like JwtBearer: no credentials, no opinion (anonymous endpoints cost no call); a challenge asks.
        return authorization.Length == 0 ? Task.FromResult(AuthenticateResult.NoResult()) : AskClusterAsync(authorization);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Succeeded)
        {
            await base.HandleChallengeAsync(properties);
            return;
        }

        if (_refusal is null)
        {
            // No token was sent: the cluster's missing_token answer is the one to give.
            await AskClusterAsync(null);
        }

        await (_refusal ?? ClusterRefusal.Unavailable(TimeProvider)).WriteAsync(Response);
    }

    private async Task<AuthenticateResult> AskClusterAsync(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Options.AuthorizeUri);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        // Logged by the cluster with its answer; they change nothing.
        request.Headers.TryAddWithoutValidation("X-Original-Method", Request.Method);
        request.Headers.TryAddWithoutValidation("X-Original-URI", $"{Request.PathBase}{Request.Path}{Request.QueryString}");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Context.RequestAborted);
        deadline.CancelAfter(Options.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(JustGoldPartnerDefaults.HttpClientName).SendAsync(request, deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return Allow(response);
            }

            _refusal = await ClusterRefusal.ReadAsync(response, TimeProvider, deadline.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !Context.RequestAborted.IsCancellationRequested)
        {
            LogUnreachable(_logger, ex, Options.AuthorityUrl);
            _refusal = ClusterRefusal.Unavailable(TimeProvider);
        }

        LogRefused(_logger, _refusal.Status, _refusal.Error);
        return AuthenticateResult.Fail(_refusal.Error ?? "refused");
    }

    private AuthenticateResult Allow(HttpResponseMessage response)
    {
        var partner = Header(response, "X-Partner-Id");
        var kid = Header(response, "X-Partner-Kid");
        if (partner is null || kid is null)
        {
            // A 200 without an identity is not an answer from the cluster (a misrouted URL, say).
            _refusal = ClusterRefusal.Unavailable(TimeProvider);
            return AuthenticateResult.Fail("The authority's 200 carried no X-Partner-Id.");
        }

        var claims = new List<Claim>(4)
        {
            new(JustGoldPartnerClaimTypes.PartnerId, partner, ClaimValueTypes.String, ClaimsIssuer),
            new(JustGoldPartnerClaimTypes.Kid, kid, ClaimValueTypes.String, ClaimsIssuer),
        };
        AddIfPresent(claims, JustGoldPartnerClaimTypes.Subject, Header(response, "X-Partner-Subject"));
        AddIfPresent(claims, JustGoldPartnerClaimTypes.Jti, Header(response, "X-Partner-Jti"));
        var identity = new ClaimsIdentity(claims, Scheme.Name, JustGoldPartnerClaimTypes.PartnerId, null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private void AddIfPresent(List<Claim> claims, string type, string? value)
    {
        if (value is not null)
        {
            claims.Add(new Claim(type, value, ClaimValueTypes.String, ClaimsIssuer));
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "The partner authentication cluster at {Authority} did not answer; failing closed with 503")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string? authority);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "Partner token refused: {Status} {Error}")]
    private static partial void LogRefused(ILogger logger, int status, string? error);
}
