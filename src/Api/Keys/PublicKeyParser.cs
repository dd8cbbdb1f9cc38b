using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Keys;

/// <summary>
/// Turns uploaded PEM text into a <see cref="PartnerKey"/>. Public keys only: any trace of
/// private key material refuses the whole upload, and that text goes nowhere else.
/// </summary>
internal static class PublicKeyParser
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    /// <summary>
    /// Reads the PEM text of an upload. The caller has already refused any upload that holds
    /// private key material (<see cref="PrivateKeyMaterial"/>) and any over the body limit (<c>AdminRequestBody.MaxBytes</c>).
    /// </summary>
    public static KeyUploadResult Read(string pem, DateTimeOffset now)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            return Refuse(KeyUploadFailure.NotPem,
                "The upload is not a PEM public key; send the text from '-----BEGIN PUBLIC KEY-----' to '-----END PUBLIC KEY-----'.");
        }

        if (PemEncoding.TryFind(pem.AsSpan(fields.Location.End), out _))
        {
            return Refuse(KeyUploadFailure.NotPem, "The upload holds more than one PEM block; upload one public key at a time.");
        }

        var label = pem.AsSpan()[fields.Label];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            return Refuse(KeyUploadFailure.NotPem, "The PEM block's base64 content is damaged.");
        }

        return label switch
        {
            "PUBLIC KEY" => ReadSubjectPublicKeyInfo(der, now),
            "RSA PUBLIC KEY" => ReadPkcs1(der, now),
            _ => Refuse(KeyUploadFailure.NotPem,
                "Only 'BEGIN PUBLIC KEY' (SubjectPublicKeyInfo) and 'BEGIN RSA PUBLIC KEY' (PKCS#1) PEM blocks are accepted."),
        };
    }

    private static KeyUploadResult ReadPkcs1(byte[] der, DateTimeOffset now)
    {
        if (RsaKeyRules.Check(der) is { } refused)
        {
            return refused;
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPublicKey(der, out var read);
            if (read != der.Length)
            {
                return Unsupported();
            }
        }
        catch (CryptographicException)
        {
            return Unsupported();
        }

        // Normalized to SubjectPublicKeyInfo so both PEM forms of one key are one stored key.
        return FromRsa(rsa, now);
    }

    private static KeyUploadResult ReadSubjectPublicKeyInfo(byte[] der, DateTimeOffset now)
    {
        try
        {
            var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length)
            {
                return Unsupported();
            }

            if (publicKey.Oid.Value == RsaOid && RsaKeyRules.Check(publicKey.EncodedKeyValue.RawData) is { } refused)
            {
                return refused;
            }

            switch (publicKey.Oid.Value)
            {
                case RsaOid:
                    using (var rsa = publicKey.GetRSAPublicKey()!)
                    {
                        return FromRsa(rsa, now);
                    }

                case EcOid:
                    using (var ecdsa = publicKey.GetECDsaPublicKey()!)
                    {
                        return FromEcdsa(ecdsa, now);
                    }

                default:
                    return Unsupported();
            }
        }
        catch (CryptographicException)
        {
            return Unsupported();
        }
    }

    // RsaKeyRules has checked size and exponent on the DER before it was imported.
    private static KeyUploadResult FromRsa(RSA rsa, DateTimeOffset now)
    {
        var spki = rsa.ExportSubjectPublicKeyInfo();
        return Accept(new PartnerKey(KeyThumbprint.Compute(rsa), "RSA", null, spki, KeyStatus.Active, now, null));
    }

    private static KeyUploadResult FromEcdsa(ECDsa ecdsa, DateTimeOffset now)
    {
        var curve = ecdsa.ExportParameters(false).Curve;
        var name = curve.Oid?.Value switch
        {
            P256Oid => "P-256",
            P384Oid => "P-384",
            _ => null,
        };
        if (name is null)
        {
            return Refuse(KeyUploadFailure.UnsupportedCurve, "Only EC keys on the P-256 or P-384 curve are accepted.");
        }

        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        return Accept(new PartnerKey(KeyThumbprint.Compute(ecdsa), "EC", name, spki, KeyStatus.Active, now, null));
    }

    private static KeyUploadResult Unsupported() => Refuse(KeyUploadFailure.UnsupportedKey,
        "The PEM block is not an RSA or EC public key that can be read.");

    private static KeyUploadResult Accept(PartnerKey key) => KeyUploadResult.Success(key);

    private static KeyUploadResult Refuse(KeyUploadFailure failure, string problem) => KeyUploadResult.Fail(failure, problem);
}
