using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>A partner's P-256 key pair, signing ES256 tokens the way a partner's back end would.</summary>
public sealed class PartnerSigner : IDisposable
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private SigningCredentials? _credentials;

    public PartnerSigner(string partnerId) => PartnerId = partnerId;

    public string PartnerId { get; }

    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public string? Kid { get; private set; }

    /// <summary>Uses the kid the key upload returned.</summary>
    public void SetKid(string kid)
    {
        Kid = kid;
        _credentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>A fresh token: unique jti, lives five minutes.</summary>
    public string CreateToken(string? jti = null)
    {
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = PartnerId,
            Audience = "justgold-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object>
            {
                ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
                ["sub"] = "cluster-tests",
            },
            SigningCredentials = _credentials ?? throw new InvalidOperationException("Upload the key first."),
        });
    }

    public void Dispose() => _key.Dispose();
}
