using System.Formats.Asn1;
using System.Numerics;

namespace JustGold.Api.Keys;

/// <summary>
/// What an RSA public key must be before it is imported: 2048 to 4096 bits, and a public exponent that is
/// odd, at least 3 and below 2^32. A larger modulus makes every signature check on it slow (and without a
/// kid every check of a bad token tries it); an even or tiny exponent can never verify a signature. Read
/// from the PKCS#1 RSAPublicKey DER itself, so no importer's own limits decide what a partner is told.
/// </summary>
internal static class RsaKeyRules
{
    public const int MinBits = 2048;

    public const int MaxBits = 4096;

    public const string ExponentProblem =
        "The RSA public exponent must be odd, at least 3 and below 2^32; make a new key pair with the standard exponent 65537 (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048).";

    /// <summary>Checks a PKCS#1 RSAPublicKey; the refusal, or null when the key may be imported.</summary>
    public static KeyUploadResult? Check(ReadOnlyMemory<byte> rsaPublicKey)
    {
        ReadOnlyMemory<byte> modulus, exponent;
        try
        {
            var sequence = new AsnReader(rsaPublicKey, AsnEncodingRules.DER).ReadSequence();
            modulus = sequence.ReadIntegerBytes();
            exponent = sequence.ReadIntegerBytes();
        }
        catch (AsnContentException)
        {
            return null; // Not well-formed: the importer refuses it as a key that cannot be read.
        }

        var bits = BitLength(modulus.Span);
        if (bits < MinBits)
        {
            return KeyUploadResult.Fail(KeyUploadFailure.RsaTooShort, $"The RSA key has {bits} bits; at least {MinBits} are required.");
        }

        if (bits > MaxBits)
        {
            return KeyUploadResult.Fail(KeyUploadFailure.RsaTooLong,
                $"The RSA key has {bits} bits; at most {MaxBits} are accepted. Make a 2048, 3072 or 4096-bit key.");
        }

        return IsUsableExponent(exponent.Span) ? null : KeyUploadResult.Fail(KeyUploadFailure.RsaExponent, ExponentProblem);
    }

    // A DER INTEGER is big-endian two's complement: a leading 0x00 only marks a positive number.
    private static bool IsUsableExponent(ReadOnlySpan<byte> e)
    {
        if (e.IsEmpty || (e[0] & 0x80) != 0)
        {
            return false;
        }

        e = e.TrimStart((byte)0);
        return e.Length is > 0 and <= 4 && (e[^1] & 1) == 1 && (e.Length > 1 || e[0] >= 3);
    }

    private static int BitLength(ReadOnlySpan<byte> n)
    {
        n = n.TrimStart((byte)0);
        return n.IsEmpty ? 0 : ((n.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)n[0]));
    }
}
