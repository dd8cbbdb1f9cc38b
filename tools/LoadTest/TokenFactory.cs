using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.LoadTest;

/// <summary>A ready-to-send token: the whole Authorization header value and the partner that signed it.</summary>
internal readonly record struct TokenEntry(string Authorization, int Partner);

/// <summary>Signs distinct partner tokens (fresh random jti each) with <see cref="JsonWebTokenHandler"/>. Thread-safe.</summary>
internal sealed class TokenFactory
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials[] credentials;
    private readonly Options options;

    public TokenFactory(Options options, IReadOnlyList<PartnerKey> keys)
    {
        this.options = options;
        PartnerIds = [.. keys.Select(k => k.PartnerId)];
        var algorithm = options.Algorithm switch
        {
            "PS256" => SecurityAlgorithms.RsaSsaPssSha256,
            "ES256" => SecurityAlgorithms.EcdsaSha256,
            _ => SecurityAlgorithms.RsaSha256,
        };
        credentials = [.. keys.Select(k =>
        {
            // The handler writes a kid header exactly when the signing key has a KeyId.
            k.PrivateKey.KeyId = options.IncludeKid ? k.Kid : null;
            return new SigningCredentials(k.PrivateKey, algorithm);
        })];
    }

    public IReadOnlyList<string> PartnerIds { get; }

    public TokenEntry Create()
    {
        var partner = options.Distribution == Distribution.Hot ? 0 : Random.Shared.Next(credentials.Length);
        var now = DateTime.UtcNow;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = PartnerIds[partner],
            Audience = options.Audience,
            IssuedAt = now,
            Expires = now.AddSeconds(options.TtlSeconds),
            SigningCredentials = credentials[partner],
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "loadtest-client",
                ["jti"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            },
        });
        return new TokenEntry("Bearer " + token, partner);
    }
}
