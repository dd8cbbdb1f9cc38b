using System.Text.Json;

namespace JustGold.Api.Authentication;

/// <summary>
/// The JOSE header in one pass: <c>alg</c> (one of ours, kept as our own constant), <c>kid</c>, <c>typ</c>, and whether
/// <c>crit</c> is there. A name given twice counts as written last (RFC 7515 §4: the lexically last), as IdentityModel
/// did; <c>jku</c>, <c>x5u</c>, <c>jwk</c> and <c>x5c</c> are skipped like any other name: keys never come from the token.
/// </summary>
internal readonly record struct TokenHeader(string? Algorithm, string? KeyId, string? Problem)
{
    // No accepted typ is longer, even with every character escaped (\u0061 is six bytes).
    private const int MaxTypBytes = 64;

    public static TokenHeader Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? alg = null, kid = null;
        bool crit = false, typRefused = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Invalid(FailureMessages.NotJson);
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (!JoseJson.IsReadable(ref reader))
                {
                    return Invalid(FailureMessages.NotJson);
                }

                var name = Name(ref reader);
                reader.Read();
                var readable = name switch
                {
                    "alg" => TryReadAlgorithm(ref reader, out alg),
                    "kid" => JoseJson.TryReadOptionalString(ref reader, out kid),
                    "typ" => TryReadTyp(ref reader, out typRefused),
                    "crit" => (crit = true) && JoseJson.SkipReadable(ref reader),
                    _ => JoseJson.SkipReadable(ref reader),
                };
                if (!readable)
                {
                    return Invalid(FailureMessages.NotJson);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Invalid(FailureMessages.NotJson);
        }

        if (!EndsAfterObject(ref reader))
        {
            return Invalid(FailureMessages.NotOneObject);
        }

        return alg is null ? Invalid(FailureMessages.AlgorithmRefused)
            : crit ? Invalid(FailureMessages.CritRefused)
            : typRefused ? Invalid(FailureMessages.TypRefused)
            : new TokenHeader(alg, string.IsNullOrEmpty(kid) ? null : kid, null);
    }

    /// <summary>Only whitespace may follow the object; the reader throws on anything else.</summary>
    internal static bool EndsAfterObject(ref Utf8JsonReader reader)
    {
        try
        {
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Name(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("alg"u8) ? "alg"
        : reader.ValueTextEquals("kid"u8) ? "kid"
        : reader.ValueTextEquals("typ"u8) ? "typ"
        : reader.ValueTextEquals("crit"u8) ? "crit"
        : null;

    /// <summary>An accepted algorithm as our own constant (no string per request); null when refused or JSON null.</summary>
    private static bool TryReadAlgorithm(ref Utf8JsonReader reader, out string? alg)
    {
        alg = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String || !JoseJson.IsReadable(ref reader))
        {
            return false;
        }

        foreach (var name in SigningAlgorithms.Accepted)
        {
            if (reader.ValueTextEquals(name))
            {
                alg = name;
                break;
            }
        }

        return true;
    }

    /// <summary><c>typ</c>, when present and not null, is empty, <c>JWT</c> or <c>at+jwt</c> in any case.</summary>
    private static bool TryReadTyp(ref Utf8JsonReader reader, out bool refused)
    {
        refused = false;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (reader.ValueSpan.Length > MaxTypBytes)
        {
            refused = true;
            return JoseJson.IsReadable(ref reader);
        }

        Span<char> typ = stackalloc char[MaxTypBytes];
        var length = reader.CopyString(typ);
        refused = length != 0
            && !typ[..length].Equals("JWT", StringComparison.OrdinalIgnoreCase)
            && !typ[..length].Equals("at+jwt", StringComparison.OrdinalIgnoreCase);
        return true;
    }

    private static TokenHeader Invalid(string problem) => new(null, null, problem);
}
