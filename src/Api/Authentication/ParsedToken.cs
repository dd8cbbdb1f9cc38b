namespace JustGold.Api.Authentication;

/// <summary>A token that passed the form checks; nothing in it is trusted yet.</summary>
internal sealed class ParsedToken(ReadOnlyMemory<char> encoded, in TokenHeader header, in TypedClaims claims)
{
    /// <summary>The compact token as received (a slice of the header value).</summary>
    public ReadOnlyMemory<char> Encoded { get; } = encoded;

    /// <summary>Header and payload as they were signed: everything before the last dot.</summary>
    public ReadOnlySpan<char> SigningInput => Encoded.Span[..Encoded.Span.LastIndexOf('.')];

    /// <summary>The signature part, still base64url.</summary>
    public ReadOnlySpan<char> EncodedSignature => Encoded.Span[(Encoded.Span.LastIndexOf('.') + 1)..];

    /// <summary>One of <see cref="SigningAlgorithms"/>' names.</summary>
    public string Algorithm { get; } = header.Algorithm!;

    /// <summary>The <c>kid</c> header, or null when the token names no key.</summary>
    public string? KeyId { get; } = header.KeyId;

    public string Issuer { get; } = claims.Issuer!;

    public string Jti { get; } = claims.Jti!;

    public string? Subject { get; } = claims.Subject;

    public long IssuedAt { get; } = claims.IssuedAt!.Value;

    public long ExpiresAt { get; } = claims.ExpiresAt!.Value;

    public long? NotBefore { get; } = claims.NotBefore;

    /// <summary>
    /// Whether <c>aud</c> contains the audience this node serves. Decided while the payload is read, so no
    /// audience string is kept; <see cref="ClaimRules"/> still reports it in the contract's order.
    /// </summary>
    public bool NamesAudience { get; } = claims.NamesAudience;
}
