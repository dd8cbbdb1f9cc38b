using System.Buffers;
using System.Buffers.Text;

namespace JustGold.Api.Authentication;

/// <summary>
/// The form checks: is this a compact JWS we are willing to read, with every required
/// claim present and of the right type? Nothing here trusts the token; no key is touched.
/// Header and payload are decoded into pooled buffers and read in one pass each
/// (<see cref="TokenHeader"/>, <see cref="TypedClaims"/>): only the values a verification uses become objects.
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
    /// <param name="raw">The compact token.</param>
    /// <param name="audience">The audience this node serves; whether <c>aud</c> names it is noted, not yet judged.</param>
    public static Reading<ParsedToken> Read(ReadOnlyMemory<char> raw, string audience)
    {
        var problem = CheckShape(raw.Span);
        if (problem is not null)
        {
            return Reading<ParsedToken>.Fail(problem);
        }

        var span = raw.Span;
        var headerEnd = span.IndexOf('.');
        var payloadEnd = span.LastIndexOf('.');
        var headerPart = span[..headerEnd];
        var payloadPart = span[(headerEnd + 1)..payloadEnd];

        // One pooled buffer for both parts in turn: nothing read from it outlives this method.
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(Math.Max(headerPart.Length, payloadPart.Length)));
        try
        {
            problem = Decode(headerPart, buffer, out var headerJson);
            var header = problem is null ? TokenHeader.Read(headerJson) : default;
            problem ??= header.Problem;
            if (problem is not null)
            {
                return Reading<ParsedToken>.Fail(problem);
            }

            problem = Decode(payloadPart, buffer, out var payloadJson);
            var claims = problem is null ? TypedClaims.Read(payloadJson, audience) : default;
            problem ??= claims.Problem ?? CheckRequiredClaims(claims);
            return problem is null ? Reading<ParsedToken>.Success(new ParsedToken(raw, header, claims)) : Reading<ParsedToken>.Fail(problem);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Three parts of unpadded base64url; the signature may be empty here and fail later as a signature.</summary>
    private static string? CheckShape(ReadOnlySpan<char> span)
    {
        if (span.Length > MaxTokenLength)
        {
            return FailureMessages.TooLarge;
        }

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

    /// <summary>The presence rules, in the order the messages were always given.</summary>
    private static string? CheckRequiredClaims(in TypedClaims claims)
    {
        if (string.IsNullOrEmpty(claims.Issuer))
        {
            return FailureMessages.IssRequired;
        }

        if (!claims.HasAudience)
        {
            return FailureMessages.AudRequired;
        }

        if (string.IsNullOrEmpty(claims.Jti))
        {
            return FailureMessages.JtiRequired;
        }

        if (claims.Jti.Length > MaxJtiLength && claims.Jti.EnumerateRunes().Count() > MaxJtiLength)
        {
            return FailureMessages.JtiTooLong;
        }

        if (claims.IssuedAt is null)
        {
            return FailureMessages.IatRequired;
        }

        return claims.ExpiresAt is null ? FailureMessages.ExpRequired : null;
    }

    /// <summary>One part as UTF-8 JSON text in <paramref name="buffer"/>; or why it is not.</summary>
    private static string? Decode(ReadOnlySpan<char> part, byte[] buffer, out ReadOnlySpan<byte> json)
    {
        json = default;
        if (!Base64Url.TryDecodeFromChars(part, buffer, out var length))
        {
            return FailureMessages.NotBase64Url;
        }

        json = buffer.AsSpan(0, length);
        return JoseJson.IsText(json) ? null : FailureMessages.NotJson;
    }
}
