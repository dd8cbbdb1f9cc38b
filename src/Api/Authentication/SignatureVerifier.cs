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

                if (Verifies(key.SecurityKey, token.Algorithm, input, inputLength, signature, signatureLength))
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

    private static bool Verifies(SecurityKey key, string algorithm, byte[] input, int inputLength, byte[] signature, int signatureLength)
    {
        var factory = key.CryptoProviderFactory;
        var provider = factory.CreateForVerifying(key, algorithm);
        try
        {
            return provider.Verify(input, 0, inputLength, signature, 0, signatureLength);
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
