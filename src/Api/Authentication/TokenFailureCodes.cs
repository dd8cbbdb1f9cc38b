namespace JustGold.Api.Authentication;

/// <summary>The contract's error codes.</summary>
internal static class TokenFailureCodes
{
    public static string ToErrorCode(this TokenFailure failure) => failure switch
    {
        TokenFailure.None => "ok",
        TokenFailure.MissingToken => "missing_token",
        TokenFailure.InvalidToken => "invalid_token",
        TokenFailure.InvalidIssuer => "invalid_issuer",
        TokenFailure.InvalidSignature => "invalid_signature",
        TokenFailure.ExpiredToken => "expired_token",
        TokenFailure.InvalidAudience => "invalid_audience",
        TokenFailure.ReplayedToken => "replayed_token",
        TokenFailure.ServiceUnavailable => "service_unavailable",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
