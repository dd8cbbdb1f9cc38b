namespace JustGold.Api.Authentication;

/// <summary>
/// Why a token was refused. Each value maps to exactly one error code of the contract
/// (see <see cref="TokenFailureCodes"/>), so layers pass a value instead of throwing.
/// </summary>
internal enum TokenFailure
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
