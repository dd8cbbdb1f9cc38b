using System.Security.Cryptography;
using JustGold.Grains.Contracts;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Keys;

/// <summary>Turns a stored <see cref="PartnerKey"/> into what verifies signatures and what the JWKS shows.</summary>
internal static class PartnerKeyMaterial
{
    public static KeyFamily Family(this PartnerKey key) => (key.KeyType, key.Curve) switch
    {
        ("RSA", _) => KeyFamily.Rsa,
        ("EC", "P-256") => KeyFamily.EcP256,
        ("EC", "P-384") => KeyFamily.EcP384,
        _ => throw new InvalidOperationException($"Stored key {key.Kid} has an unknown type."),
    };

    /// <summary>An IdentityModel key carrying the kid, for signature checks.</summary>
    public static SecurityKey ToSecurityKey(this PartnerKey key)
    {
        if (key.KeyType == "RSA")
        {
            var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            return new RsaSecurityKey(rsa) { KeyId = key.Kid };
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid };
    }

    /// <summary>The public JWK of the key (RFC 7517), without status fields.</summary>
    public static JsonWebKey ToJsonWebKey(this PartnerKey key)
    {
        JsonWebKey jwk;
        if (key.KeyType == "RSA")
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
        }
        else
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa));
        }

        jwk.Kid = key.Kid;
        return jwk;
    }
}
