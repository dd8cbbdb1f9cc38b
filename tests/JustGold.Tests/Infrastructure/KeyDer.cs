using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// Key encodings built by hand with <see cref="AsnWriter"/>, for uploads no key generator makes: RSA public
/// keys with any modulus size or exponent, private keys of any algorithm, DER under any PEM label.
/// </summary>
public static class KeyDer
{
    private const string RsaOid = "1.2.840.113549.1.1.1";

    /// <summary>PKCS#1 RSAPublicKey: SEQUENCE { modulus, publicExponent }.</summary>
    public static byte[] RsaPublicKey(BigInteger modulus, BigInteger exponent)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(modulus);
            writer.WriteInteger(exponent);
        }

        return writer.Encode();
    }

    /// <summary>SubjectPublicKeyInfo for an RSA key with this modulus and exponent.</summary>
    public static byte[] RsaSubjectPublicKeyInfo(BigInteger modulus, BigInteger exponent)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(RsaOid);
                writer.WriteNull();
            }

            writer.WriteBitString(RsaPublicKey(modulus, exponent));
        }

        return writer.Encode();
    }

    /// <summary>An odd number of exactly <paramref name="bits"/> bits: a modulus as far as any upload check can tell.</summary>
    public static BigInteger RandomModulus(int bits)
    {
        var bytes = RandomNumberGenerator.GetBytes((bits + 7) / 8);
        var top = (bits - 1) % 8;
        bytes[0] = (byte)((bytes[0] & ((1 << (top + 1)) - 1)) | (1 << top));
        bytes[^1] |= 1;
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>A PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410), an algorithm the service does not even read.</summary>
    public static byte[] Ed25519Pkcs8()
    {
        var inner = new AsnWriter(AsnEncodingRules.DER);
        inner.WriteOctetString(RandomNumberGenerator.GetBytes(32));
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.112");
            }

            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }

    public static string Pem(string label, byte[] der) => new(PemEncoding.Write(label, der));
}
