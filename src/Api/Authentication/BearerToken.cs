namespace JustGold.Api.Authentication;

/// <summary>The token from an <c>Authorization</c> header: the <c>Bearer</c> scheme (any case), trimmed.</summary>
internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>
    /// The token text within the header value, or empty when the header is absent, of another scheme, or empty.
    /// A slice, not a copy: the token is most of the header, and copying it was a third of the bytes a verification allocated.
    /// </summary>
    public static ReadOnlyMemory<char> FromHeader(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return ReadOnlyMemory<char>.Empty;
        }

        return authorization.AsMemory(Prefix.Length).Trim();
    }
}
