using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>
/// Finds the partner key that verifies a token's signature. With a kid only that key is tried;
/// without one, every active key of a type that fits the algorithm. Keys come only from the
/// partner's uploads, never from the token's headers (jku, x5u, jwk and x5c are ignored).
/// </summary>
internal static class SignatureVerifier
{
    /// <summary>The key that verifies the signature, or null when none of them does.</summary>
    public static VerificationKey? FindVerifyingKey(ParsedToken token, IReadOnlyList<VerificationKey> keys)
    {
        var signature = DecodeSignature(token.Jwt.EncodedSignature);
        if (signature is null)
        {
            return null;
        }

        byte[]? input = null;
        foreach (var key in keys)
        {
            if ((token.KeyId is not null && key.Kid != token.KeyId) || !SigningAlgorithms.Fits(key.Family, token.Algorithm))
            {
                continue;
            }

            var encoded = token.Jwt.EncodedToken;
            input ??= Encoding.ASCII.GetBytes(encoded, 0, encoded.LastIndexOf('.'));
            if (Verifies(key.SecurityKey, token.Algorithm, input, signature))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>An empty or undecodable signature verifies nothing.</summary>
    private static byte[]? DecodeSignature(string encodedSignature)
    {
        if (encodedSignature.Length == 0)
        {
            return null;
        }

        try
        {
            return Base64UrlEncoder.DecodeBytes(encodedSignature);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Verifies(SecurityKey key, string algorithm, byte[] input, byte[] signature)
    {
        var factory = key.CryptoProviderFactory;
        var provider = factory.CreateForVerifying(key, algorithm);
        try
        {
            return provider.Verify(input, signature);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // A signature of the wrong length or encoding is a signature that does not verify.
            return false;
        }
        finally
        {
            factory.ReleaseSignatureProvider(provider);
        }
    }
}
