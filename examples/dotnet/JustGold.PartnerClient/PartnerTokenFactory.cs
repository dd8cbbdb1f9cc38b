using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.PartnerClient;

/// <summary>Mints JustGold partner tokens: each one new, with a fresh random <c>jti</c> and a short lifetime.</summary>
public sealed class PartnerTokenFactory(SigningCredentials credentials, PartnerTokenOptions options, TimeProvider? time = null)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>A compact JWS for one request.</summary>
    public string CreateToken()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        };
        if (options.Subject is not null)
        {
            claims[JwtRegisteredClaimNames.Sub] = options.Subject;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.PartnerId,
            Audience = options.Audience,
            IssuedAt = now,
            Expires = now + options.Lifetime,
            Claims = claims,
            SigningCredentials = credentials,
        });
    }
}
