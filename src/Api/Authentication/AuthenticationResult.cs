namespace JustGold.Api.Authentication;

/// <summary>
/// The answer for one bearer token: success with who it is, or one failure with a message for
/// the partner. Never carries the token itself.
/// </summary>
public sealed record AuthenticationResult(
    TokenFailure Failure,
    string Message,
    string? Partner = null,
    string? Subject = null,
    string? Kid = null,
    string? Jti = null)
{
    public bool Succeeded => Failure == TokenFailure.None;

    public static AuthenticationResult Fail(TokenFailure failure, string message, ParsedToken? token = null, string? kid = null) =>
        new(failure, message, token?.Issuer, null, kid ?? token?.KeyId, token?.Jti);
}
