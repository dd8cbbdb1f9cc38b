using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Keys;

/// <summary>RFC 7638 JWK thumbprints (SHA-256, base64url): the <c>kid</c> of every partner key.</summary>
internal static class KeyThumbprint
{
    public static string Compute(RSA rsa) =>
        Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))));

    public static string Compute(ECDsa ecdsa) =>
        Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa)));

    private static string Encode(JsonWebKey jwk) => Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
}
