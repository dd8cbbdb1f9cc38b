using System.Buffers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>
/// The form checks: is this a compact JWS we are willing to read, with every required
/// claim present and of the right type? Nothing here trusts the token; no key is touched.
/// </summary>
public static class TokenReader
{
    /// <summary>Tokens above this size are refused before anything is decoded.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>The longest <c>jti</c> accepted, in characters.</summary>
    public const int MaxJtiLength = 256;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Reads <paramref name="raw"/>; on failure returns null and a reason fit for the partner.</summary>
    public static ParsedToken? Read(string raw, out string? problem)
    {
        problem = CheckShape(raw);
        if (problem is not null)
        {
            return null;
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(raw);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or SecurityTokenException or FormatException)
        {
            problem = "The token's header or payload is not valid JSON with claims of the right types.";
            return null;
        }

        problem = TokenJson.IsOneObject(Base64UrlEncoder.DecodeBytes(jwt.EncodedHeader)) ? CheckHeader(jwt) : TokenJson.NotOneObject;
        return problem is null ? ReadClaims(jwt, out problem) : null;
    }

    /// <summary>Three parts of unpadded base64url; the signature may be empty here and fail later as a signature.</summary>
    private static string? CheckShape(string raw)
    {
        if (raw.Length > MaxTokenLength)
        {
            return "The token is larger than 8 KiB.";
        }

        var span = raw.AsSpan();
        var parts = 0;
        foreach (var range in span.Split('.'))
        {
            parts++;
            var part = span[range];
            if (parts > 3)
            {
                return "A token has exactly three parts separated by dots (compact JWS).";
            }

            if (part.ContainsAnyExcept(Base64UrlAlphabet) || part.Length % 4 == 1)
            {
                return "Each part of the token must be unpadded base64url (RFC 7515).";
            }

            if (parts < 3 && part.IsEmpty)
            {
                return "The token's header and payload must not be empty.";
            }
        }

        return parts == 3 ? null : "A token has exactly three parts separated by dots (compact JWS).";
    }

    private static string? CheckHeader(JsonWebToken jwt)
    {
        if (!SigningAlgorithms.IsAccepted(jwt.Alg))
        {
            return "The algorithm in the token's header is not accepted; use RS256, RS384, RS512, PS256, PS384, PS512, ES256 or ES384.";
        }

        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            return "Tokens with a 'crit' header are refused.";
        }

        var typ = jwt.Typ;
        if (!string.IsNullOrEmpty(typ)
            && !typ.Equals("JWT", StringComparison.OrdinalIgnoreCase)
            && !typ.Equals("at+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return "The token's 'typ' header must be JWT or at+jwt when present.";
        }

        return null;
    }

    private static ParsedToken? ReadClaims(JsonWebToken jwt, out string? problem)
    {
        // Claim types as written, the type of aud and nothing after the payload's object: see TokenJson.
        problem = TokenJson.ReadTypedClaims(jwt, out var iat, out var exp, out var nbf);
        if (problem is not null)
        {
            return null;
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Iss, out var issuer) || string.IsNullOrEmpty(issuer))
        {
            problem = "The 'iss' claim is required and must be your partner id.";
            return null;
        }

        if (!jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Aud, out _))
        {
            problem = "The 'aud' claim is required.";
            return null;
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrEmpty(jti))
        {
            problem = "The 'jti' claim is required and must be a non-empty string.";
            return null;
        }

        if (jti.Length > MaxJtiLength && jti.EnumerateRunes().Count() > MaxJtiLength)
        {
            problem = "The 'jti' claim is longer than 256 characters.";
            return null;
        }

        if (iat is null || exp is null)
        {
            problem = iat is null ? "The 'iat' claim is required." : "The 'exp' claim is required.";
            return null;
        }

        return new ParsedToken(jwt, issuer, jti, iat.Value, exp.Value, nbf);
    }
}
