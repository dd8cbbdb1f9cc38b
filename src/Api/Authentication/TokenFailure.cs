namespace JustGold.Api.Authentication;

/// <summary>
/// Why a token was refused. Each value maps to exactly one error code of the contract
/// (see <see cref="TokenFailureCodes"/>), so layers pass a value instead of throwing.
/// </summary>
public enum TokenFailure
{
    None = 0,
    MissingToken,
    InvalidToken,
    InvalidIssuer,
    InvalidSignature,
    ExpiredToken,
    InvalidAudience,
    ReplayedToken,
    ServiceUnavailable,
}

/// <summary>The contract's error codes.</summary>
public static class TokenFailureCodes
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
