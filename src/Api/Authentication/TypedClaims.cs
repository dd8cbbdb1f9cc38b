using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>
/// The claims whose JSON type matters (<c>iat</c>, <c>exp</c>, <c>nbf</c>, <c>sub</c>, <c>aud</c>), read from
/// the payload as written: IdentityModel's reader would turn <c>"exp":"123"</c> into a number and
/// <c>"sub":42</c> into a string, drop a null from <c>aud</c>, and ignore bytes after the first JSON value;
/// the contract refuses all of them.
/// </summary>
internal readonly record struct TypedClaims(long? IssuedAt, long? ExpiresAt, long? NotBefore, string? Problem)
{
    // NumericDate values beyond year 9999 are nonsense and would overflow date arithmetic.
    private const double MaxNumericDate = 253_402_300_799;

    public static TypedClaims Read(string encodedPayload)
    {
        var payload = Base64UrlEncoder.DecodeBytes(encodedPayload);
        var reader = new Utf8JsonReader(payload);
        try
        {
            reader.Read();
            var claims = ReadObject(ref reader);

            // After the object's end only whitespace may follow; the reader throws on anything else.
            return claims.Problem is null && reader.Read() ? Invalid(FailureMessages.NotOneObject) : claims;
        }
        catch (JsonException)
        {
            return Invalid(FailureMessages.NotOneObject);
        }
    }

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

    private static TypedClaims ReadObject(ref Utf8JsonReader reader)
    {
        long? iat = null, exp = null, nbf = null;
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
                if (!IsStringOrArrayOfStrings(ref reader))
                {
                    return Invalid(FailureMessages.AudNotStrings);
                }
            }
            else if (isSub)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Invalid(FailureMessages.SubNotString);
                }
            }
            else if (isIat || isExp || isNbf)
            {
                if (!TryReadNumericDate(ref reader, out var seconds))
                {
                    return Invalid(FailureMessages.NumericDateInvalid);
                }

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

        return new TypedClaims(iat, exp, nbf, null);
    }

    private static bool IsStringOrArrayOfStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.TokenType == JsonTokenType.String;
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

    /// <summary>A NumericDate may be fractional (floored); outside 0 .. year 9999 it is refused.</summary>
    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out long seconds)
    {
        seconds = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || value is < 0 or > MaxNumericDate)
        {
            return false;
        }

        seconds = (long)Math.Floor(value);
        return true;
    }

    private static TypedClaims Invalid(string problem) => new(null, null, null, problem);
}
