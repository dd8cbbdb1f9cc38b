using System.Text.Json;

namespace JustGold.Api.Authentication;

/// <summary>
/// The payload in one <see cref="Utf8JsonReader"/> pass, with each claim's JSON type as written: <c>"exp":"123"</c>
/// is not a number, <c>"sub":42</c> not a string, a null in <c>aud</c> not an audience, and nothing may follow the
/// object. A claim given twice counts as written last (as IdentityModel's reader did), every occurrence type-checked.
/// Only <c>iss</c>, <c>jti</c> and <c>sub</c> become strings; <c>aud</c> is compared where it lies.
/// </summary>
internal readonly record struct TypedClaims(
    string? Issuer, string? Jti, string? Subject, long? IssuedAt, long? ExpiresAt, long? NotBefore,
    bool HasAudience, bool NamesAudience, string? Problem)
{
    // NumericDate values beyond year 9999 are nonsense and would overflow date arithmetic.
    private const double MaxNumericDate = 253_402_300_799;

    /// <summary>Reads the decoded payload; <paramref name="audience"/> is the one this node serves.</summary>
    public static TypedClaims Read(ReadOnlySpan<byte> json, string audience)
    {
        var reader = new Utf8JsonReader(json);
        var claims = new TypedClaims();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Invalid(FailureMessages.NotJson);
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                claims = ReadClaim(ref reader, claims, audience);
                if (claims.Problem is not null)
                {
                    return claims;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Invalid(FailureMessages.NotJson);
        }

        return TokenHeader.EndsAfterObject(ref reader) ? claims : Invalid(FailureMessages.NotOneObject);
    }

    /// <summary>The claim whose name the reader is on, added to <paramref name="claims"/>; or the problem with it.</summary>
    private static TypedClaims ReadClaim(ref Utf8JsonReader reader, TypedClaims claims, string audience)
    {
        if (!JoseJson.IsReadable(ref reader))
        {
            return Invalid(FailureMessages.NotJson);
        }

        if (reader.ValueTextEquals("iss"u8))
        {
            reader.Read();
            return JoseJson.TryReadOptionalString(ref reader, out var iss) ? claims with { Issuer = iss } : Invalid(FailureMessages.NotJson);
        }

        if (reader.ValueTextEquals("jti"u8))
        {
            reader.Read();
            return JoseJson.TryReadOptionalString(ref reader, out var jti) ? claims with { Jti = jti } : Invalid(FailureMessages.NotJson);
        }

        if (reader.ValueTextEquals("sub"u8))
        {
            reader.Read();
            return reader.TokenType == JsonTokenType.String ? claims with { Subject = reader.GetString() } : Invalid(FailureMessages.SubNotString);
        }

        if (reader.ValueTextEquals("aud"u8))
        {
            reader.Read();
            return TryReadAudience(ref reader, audience, out var names)
                ? claims with { HasAudience = true, NamesAudience = names }
                : Invalid(FailureMessages.AudNotStrings);
        }

        var isIat = reader.ValueTextEquals("iat"u8);
        var isExp = !isIat && reader.ValueTextEquals("exp"u8);
        var isNbf = !isIat && !isExp && reader.ValueTextEquals("nbf"u8);
        reader.Read();
        if (!isIat && !isExp && !isNbf)
        {
            return JoseJson.SkipReadable(ref reader) ? claims : Invalid(FailureMessages.NotJson);
        }

        if (!TryReadNumericDate(ref reader, out var seconds))
        {
            return Invalid(FailureMessages.NumericDateInvalid);
        }

        return isIat ? claims with { IssuedAt = seconds }
            : isExp ? claims with { ExpiresAt = seconds }
            : claims with { NotBefore = seconds };
    }

    /// <summary>A string or an array of strings (possibly empty); <paramref name="names"/> when one of them is <paramref name="audience"/>.</summary>
    private static bool TryReadAudience(ref Utf8JsonReader reader, string audience, out bool names)
    {
        names = false;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!JoseJson.IsReadable(ref reader))
            {
                return false;
            }

            names = reader.ValueTextEquals(audience);
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || !JoseJson.IsReadable(ref reader))
            {
                return false;
            }

            names |= reader.ValueTextEquals(audience);
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

    private static TypedClaims Invalid(string problem) => new() { Problem = problem };
}
