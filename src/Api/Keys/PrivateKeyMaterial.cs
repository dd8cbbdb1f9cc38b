using System.Buffers;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json;

namespace JustGold.Api.Keys;

/// <summary>
/// The one check for private key material in an upload. It runs on the whole upload before anything else
/// reads it, so a refused upload is never parsed further, stored or logged. It looks at the text itself and,
/// for JSON, at every string in it (a PEM inside JSON is escaped); in each it looks for a private key label,
/// and for DER that is a private key whatever label it came under: every PEM block, and a string that is
/// nothing but base64.
/// </summary>
internal static class PrivateKeyMaterial
{
    public const string RejectedMessage =
        "The upload contains private key material; it was discarded. Upload only the public key (openssl pkey -in private.pem -pubout).";

    private static readonly SearchValues<char> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n \t");

    public static bool IsPresentIn(string upload) => HoldsPrivateKey(upload) || JsonStrings(upload).Any(HoldsPrivateKey);

    private static bool HoldsPrivateKey(string text)
    {
        if (text.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (IsPrivateKeyBase64(rest[fields.Base64Data]))
            {
                return true;
            }

            rest = rest[fields.Location.End..];
        }

        var trimmed = text.AsSpan().Trim();
        return trimmed.Length >= 16 && !trimmed.ContainsAnyExcept(Base64Alphabet) && IsPrivateKeyBase64(trimmed);
    }

    private static bool IsPrivateKeyBase64(ReadOnlySpan<char> base64)
    {
        var der = new byte[base64.Length * 3 / 4 + 3];
        return Convert.TryFromBase64Chars(base64, der, out var written) && IsPrivateKeyDer(der.AsSpan(0, written));
    }

    /// <summary>
    /// An RSA private key (PKCS#1) as the platform reads it, and the shapes of private keys for any algorithm
    /// or curve: SEC1 ECPrivateKey (version, OCTET STRING key), PKCS#8 PrivateKeyInfo / OneAsymmetricKey
    /// (version, algorithm, OCTET STRING key) and EncryptedPrivateKeyInfo (algorithm, OCTET STRING). A public
    /// key (SubjectPublicKeyInfo: algorithm, BIT STRING; PKCS#1 RSAPublicKey: two integers) or a certificate
    /// fits none of them.
    /// </summary>
    private static bool IsPrivateKeyDer(ReadOnlySpan<byte> der)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPrivateKey(der, out _);
            return true;
        }
        catch (CryptographicException)
        {
        }

        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.BER).ReadSequence();
            if (outer.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                outer.ReadInteger();

                // SEC1 ECPrivateKey: a version, then the private key itself, on any curve.
                if (outer.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
                {
                    return true;
                }
            }

            outer.ReadSequence();
            return outer.HasData && outer.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Every member name and string value of a JSON upload, at any depth; none when it is not JSON.</summary>
    private static List<string> JsonStrings(string upload)
    {
        var strings = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(upload);
            Collect(document.RootElement, strings);
        }
        catch (JsonException)
        {
            // Not JSON: the text itself was checked.
        }

        return strings;
    }

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(TextOf(element));
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    strings.Add(NameOf(member));
                    Collect(member.Value, strings);
                }

                break;
        }
    }

    // An escaped lone surrogate cannot become a string; then its escaped form is checked instead.
    private static string TextOf(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return element.GetRawText();
        }
    }

    private static string NameOf(JsonProperty member)
    {
        try
        {
            return member.Name;
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }
}
