using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>
/// What the token's JSON says as written: the parser converts types (a NumericDate written as a string
/// becomes a number, a numeric <c>sub</c> a string, <c>"aud": null</c> is dropped) and ignores bytes after
/// the first JSON value, so those rules read the decoded JSON with <see cref="Utf8JsonReader"/>.
/// </summary>
internal static class TokenJson
{
    // NumericDate values beyond year 9999 are nonsense and would overflow date arithmetic.
    private const double MaxNumericDate = 253_402_300_799;

    // The parser reads the first JSON value and ignores what follows; the contract refuses anything after it.
    public const string NotOneObject = "The token's header and payload must each be exactly one JSON object, with nothing after it.";

    /// <summary>Exactly one JSON object, with only whitespace around it (RFC 8259 allows that, nothing else).</summary>
    public static bool IsOneObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string? ReadTypedClaims(JsonWebToken jwt, out long? iat, out long? exp, out long? nbf)
    {
        iat = exp = nbf = null;
        var payload = Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload);
        var reader = new Utf8JsonReader(payload);
        try
        {
            reader.Read();
            var problem = ReadTopLevelClaims(ref reader, ref iat, ref exp, ref nbf);

            // After the object's end only whitespace may follow; the reader throws on anything else.
            return problem ?? (reader.Read() ? NotOneObject : null);
        }
        catch (JsonException)
        {
            return NotOneObject;
        }
    }

    private static string? ReadTopLevelClaims(ref Utf8JsonReader reader, ref long? iat, ref long? exp, ref long? nbf)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isIat = reader.ValueTextEquals("iat"u8);
            var isExp = !isIat && reader.ValueTextEquals("exp"u8);
            var isNbf = !isIat && !isExp && reader.ValueTextEquals("nbf"u8);
            var isSub = !isIat && !isExp && !isNbf && reader.ValueTextEquals("sub"u8);
            var isAud = !isIat && !isExp && !isNbf && !isSub && reader.ValueTextEquals("aud"u8);
            reader.Read();
            if (isAud)
            {
                // The parser would drop a null from an array and treat "aud": null as absent.
                if (!IsStringOrArrayOfStrings(ref reader))
                {
                    return "The 'aud' claim must be a string or an array of strings.";
                }
            }
            else if (isSub)
            {
                // The parser would turn a number into a string; the contract wants a string as written.
                if (reader.TokenType != JsonTokenType.String)
                {
                    return "The 'sub' claim must be a string when present.";
                }
            }
            else if (isIat || isExp || isNbf)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value)
                    || value is < 0 or > MaxNumericDate)
                {
                    return "The 'iat', 'exp' and 'nbf' claims must be NumericDate numbers (seconds since 1970).";
                }

                var seconds = (long)Math.Floor(value);
                if (isIat)
                {
                    iat = seconds;
                }
                else if (isExp)
                {
                    exp = seconds;
                }
                else
                {
                    nbf = seconds;
                }
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return null;
    }

    private static bool IsStringOrArrayOfStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }
        }

        return true;
    }
}
