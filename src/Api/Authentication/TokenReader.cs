using System.Buffers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>
/// The form checks: is this a compact JWS we are willing to read, with every required
/// claim present and of the right type? Nothing here trusts the token; no key is touched.
/// </summary>
internal static class TokenReader
{
    /// <summary>Tokens above this size are refused before anything is decoded.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>The longest <c>jti</c> accepted, in characters.</summary>
    public const int MaxJtiLength = 256;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Reads <paramref name="raw"/>: a token to verify, or the reason it is malformed.</summary>
    public static Reading<ParsedToken> Read(string raw)
    {
        var problem = CheckShape(raw);
        if (problem is not null)
        {
            return Reading<ParsedToken>.Fail(problem);
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(raw);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or SecurityTokenException or FormatException)
        {
            return Reading<ParsedToken>.Fail(FailureMessages.NotJson);
        }

        // The parser reads the first JSON value and ignores what follows it; the contract refuses anything there.
        problem = TypedClaims.IsOneObject(Base64UrlEncoder.DecodeBytes(jwt.EncodedHeader)) ? CheckHeader(jwt) : FailureMessages.NotOneObject;
        return problem is null ? ReadClaims(jwt) : Reading<ParsedToken>.Fail(problem);
    }

    /// <summary>Three parts of unpadded base64url; the signature may be empty here and fail later as a signature.</summary>
    private static string? CheckShape(string raw)
    {
        if (raw.Length > MaxTokenLength)
        {
            return FailureMessages.TooLarge;
        }

        var span = raw.AsSpan();
        var parts = 0;
        foreach (var range in span.Split('.'))
        {
            parts++;
            var part = span[range];
            if (parts > 3)
            {
                return FailureMessages.NotThreeParts;
            }

            if (part.ContainsAnyExcept(Base64UrlAlphabet) || part.Length % 4 == 1)
            {
                return FailureMessages.NotBase64Url;
            }

            if (parts < 3 && part.IsEmpty)
            {
                return FailureMessages.EmptyPart;
            }
        }

        return parts == 3 ? null : FailureMessages.NotThreeParts;
    }

    private static string? CheckHeader(JsonWebToken jwt)
    {
        if (!SigningAlgorithms.IsAccepted(jwt.Alg))
        {
            return FailureMessages.AlgorithmRefused;
        }

        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            return FailureMessages.CritRefused;
        }

        var typ = jwt.Typ;
        if (!string.IsNullOrEmpty(typ)
            && !typ.Equals("JWT", StringComparison.OrdinalIgnoreCase)
            && !typ.Equals("at+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return FailureMessages.TypRefused;
        }

        return null;
    }

    private static Reading<ParsedToken> ReadClaims(JsonWebToken jwt)
    {
        // Claim types as written, the type of aud, and nothing after the payload's object: see TypedClaims.
        var typed = TypedClaims.Read(jwt.EncodedPayload);
        if (typed.Problem is not null)
        {
            return Reading<ParsedToken>.Fail(typed.Problem);
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var issuer) || string.IsNullOrEmpty(issuer))
        {
            return Reading<ParsedToken>.Fail(FailureMessages.IssRequired);
        }

        if (!jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Aud, out _))
        {
            return Reading<ParsedToken>.Fail(FailureMessages.AudRequired);
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrEmpty(jti))
        {
            return Reading<ParsedToken>.Fail(FailureMessages.JtiRequired);
        }

        if (jti.Length > MaxJtiLength && jti.EnumerateRunes().Count() > MaxJtiLength)
        {
            return Reading<ParsedToken>.Fail(FailureMessages.JtiTooLong);
        }

        if (typed.IssuedAt is not { } iat)
        {
            return Reading<ParsedToken>.Fail(FailureMessages.IatRequired);
        }

        if (typed.ExpiresAt is not { } exp)
        {
            return Reading<ParsedToken>.Fail(FailureMessages.ExpRequired);
        }

        return Reading<ParsedToken>.Success(new ParsedToken(jwt, issuer, jti, iat, exp, typed.NotBefore));
    }
}
