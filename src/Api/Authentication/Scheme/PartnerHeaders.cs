using JustGold.Api.Authentication;

namespace JustGold.Api.Authentication.Scheme;

/// <summary>
/// The identity headers a gateway passes upstream after <c>/v1/authorize</c> (and Envoy after
/// <c>Check</c>). A value is null when the token has none: the gateway must then remove any
/// header of that name a client sent.
/// </summary>
internal static class PartnerHeaders
{
    public const string PartnerId = "X-Partner-Id";
    public const string Subject = "X-Partner-Subject";
    public const string Kid = "X-Partner-Kid";
    public const string Jti = "X-Partner-Jti";
    public const string AuthError = "X-Auth-Error";

    /// <summary>Every header name a client must never be able to set on its own.</summary>
    public static IReadOnlyList<string> IdentityNames { get; } = [PartnerId, Subject, Kid, Jti];

    public static IEnumerable<KeyValuePair<string, string?>> For(AuthenticationResult result)
    {
        yield return new(PartnerId, result.Partner);
        yield return new(Subject, result.Subject);
        yield return new(Kid, result.Kid);
        yield return new(Jti, result.Jti);
    }
}
