using System.Diagnostics.CodeAnalysis;

namespace JustGold.Api.Authentication;

/// <summary>
/// The answer for one bearer token: success with who it is, or one failure with a message for
/// the partner. Never carries the token itself.
/// </summary>
internal sealed class AuthenticationResult
{
    private AuthenticationResult(TokenFailure failure, string message, string? partner, string? subject, string? kid, string? jti)
    {
        Failure = failure;
        Message = message;
        Partner = partner;
        Subject = subject;
        Kid = kid;
        Jti = jti;
    }

    public TokenFailure Failure { get; }

    public string Message { get; }

    /// <summary>The <c>iss</c>, once the form checks passed (so also on most failures, for the log).</summary>
    public string? Partner { get; }

    /// <summary>The <c>sub</c> of an accepted token, if it has one.</summary>
    public string? Subject { get; }

    /// <summary>The kid of the key that verified, or the token's kid header on a failure.</summary>
    public string? Kid { get; }

    public string? Jti { get; }

    [MemberNotNullWhen(true, nameof(Partner), nameof(Kid), nameof(Jti))]
    public bool Succeeded => Failure == TokenFailure.None && Partner is not null && Kid is not null && Jti is not null;

    public static AuthenticationResult Success(ParsedToken token, string kid) =>
        new(TokenFailure.None, "ok", token.Issuer, token.Subject, kid, token.Jti);

    public static AuthenticationResult Fail(TokenFailure failure, string message, ParsedToken? token = null, string? kid = null) =>
        new(failure, message, token?.Issuer, null, kid ?? token?.KeyId, token?.Jti);
}
