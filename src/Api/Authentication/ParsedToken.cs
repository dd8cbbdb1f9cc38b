using Microsoft.IdentityModel.JsonWebTokens;

namespace JustGold.Api.Authentication;

/// <summary>A token that passed the form checks; nothing in it is trusted yet.</summary>
internal sealed class ParsedToken(JsonWebToken jwt, string issuer, string jti, long issuedAt, long expiresAt, long? notBefore)
{
    public JsonWebToken Jwt { get; } = jwt;

    public string Algorithm => Jwt.Alg;

    /// <summary>The <c>kid</c> header, or null when the token names no key.</summary>
    public string? KeyId { get; } = string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid;

    public string Issuer { get; } = issuer;

    public string Jti { get; } = jti;

    public long IssuedAt { get; } = issuedAt;

    public long ExpiresAt { get; } = expiresAt;

    public long? NotBefore { get; } = notBefore;

    public string? Subject => Jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) ? sub : null;
}
