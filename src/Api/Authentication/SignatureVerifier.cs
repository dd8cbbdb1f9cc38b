using System.Buffers;
using System.Buffers.Text;
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
        // Signature bytes and signing input go to pooled buffers: two arrays per request less.
        var encodedSignature = token.EncodedSignature;
        if (encodedSignature.Length == 0)
        {
            return null;
        }

        var signature = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encodedSignature.Length));
        byte[]? input = null;
        try
        {
            // An undecodable signature verifies nothing.
            if (!Base64Url.TryDecodeFromChars(encodedSignature, signature, out var signatureLength))
            {
                return null;
            }

            var inputLength = 0;
            foreach (var key in keys)
            {
                if ((token.KeyId is not null && key.Kid != token.KeyId) || !SigningAlgorithms.Fits(key.Family, token.Algorithm))
                {
                    continue;
                }

                if (input is null)
                {
                    var encoded = token.SigningInput;
                    input = ArrayPool<byte>.Shared.Rent(encoded.Length);
                    inputLength = Encoding.ASCII.GetBytes(encoded, input);
                }

                if (Verifies(key.SecurityKey, token.Algorithm, input.AsSpan(0, inputLength), signature.AsSpan(0, signatureLength)))
                {
                    return key;
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signature);
            if (input is not null)
            {
                ArrayPool<byte>.Shared.Return(input);
            }
        }
    }

    /// <summary>
    /// The key's own .NET object verifies, spans in: IdentityModel's provider copied the signature into an
    /// exact-size array and hashed into a new one per call. The maths stays in .NET (OpenSSL here), whose
    /// public-key operations take a fresh context per call, so one key object serves every request thread.
    /// ES* signatures are r‖s (IEEE P1363), .NET's default format.
    /// </summary>
    private static bool Verifies(SecurityKey key, string algorithm, ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key switch
            {
                RsaSecurityKey { Rsa: { } rsa } => rsa.VerifyData(input, signature, Hash(algorithm), Padding(algorithm)),
                ECDsaSecurityKey { ECDsa: { } ecdsa } => ecdsa.VerifyData(input, signature, Hash(algorithm)),
                _ => false,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // A signature of the wrong length or encoding is a signature that does not verify.
            return false;
        }
    }

    private static HashAlgorithmName Hash(string algorithm) =>
        algorithm.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512
        : algorithm.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
        : HashAlgorithmName.SHA256;

    private static RSASignaturePadding Padding(string algorithm) =>
        algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
}
