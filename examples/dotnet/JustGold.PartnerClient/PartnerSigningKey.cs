using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.PartnerClient;

/// <summary>Loads a partner's private key from PEM and picks the matching JWS algorithm.</summary>
public static class PartnerSigningKey
{
    /// <summary>
    /// Signing credentials for a PEM private key (PKCS#8, PKCS#1 or SEC1): RS256 for RSA,
    /// ES256 for EC P-256, ES384 for EC P-384. <paramref name="kid"/> goes into the token's
    /// header when given.
    /// </summary>
    public static SigningCredentials FromPem(string pem, string? kid = null)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Contains("BEGIN EC PRIVATE KEY", StringComparison.Ordinal) || IsEcPkcs8(pem))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            var algorithm = ecdsa.KeySize switch
            {
                256 => SecurityAlgorithms.EcdsaSha256,
                384 => SecurityAlgorithms.EcdsaSha384,
                _ => throw new NotSupportedException("JustGold accepts EC keys on P-256 or P-384."),
            };
            return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = kid }, algorithm);
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>Reads <paramref name="path"/> and calls <see cref="FromPem"/>.</summary>
    public static SigningCredentials FromPemFile(string path, string? kid = null) => FromPem(File.ReadAllText(path), kid);

    private static bool IsEcPkcs8(string pem)
    {
        if (!pem.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal))
        {
            return false;
        }

        using var probe = ECDsa.Create();
        try
        {
            probe.ImportFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
