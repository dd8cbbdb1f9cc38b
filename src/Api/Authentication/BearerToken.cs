namespace JustGold.Api.Authentication;

/// <summary>The token from an <c>Authorization</c> header: the <c>Bearer</c> scheme (any case), trimmed.</summary>
internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>The token text, or null when the header is absent, of another scheme, or empty.</summary>
    public static string? FromHeader(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization.AsSpan(Prefix.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}
