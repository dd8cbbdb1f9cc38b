using JustGold.Grains.Contracts;

namespace JustGold.Api.Authentication;

/// <summary>
/// The checks after the signature, in the contract's order: expiry, then the other claims
/// (iat, nbf, lifetime, audience). Each rule is one small named method; the first that fails
/// decides the answer.
/// </summary>
internal static class ClaimRules
{
    public static AuthenticationResult Check(ParsedToken token, string kid, PartnerAuthOptions rules, long now)
    {
        var skew = rules.ClockSkewSeconds;
        if (IsExpired(token, now, skew))
        {
            return AuthenticationResult.Fail(TokenFailure.ExpiredToken, FailureMessages.Expired, token, kid);
        }

        if (IsIssuedInTheFuture(token, now, skew))
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidToken, FailureMessages.IssuedInFuture, token, kid);
        }

        if (IsNotYetValid(token, now, skew))
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidToken, FailureMessages.NotYetValid, token, kid);
        }

        if (LivesTooLong(token, rules.MaxTokenLifetimeSeconds))
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidToken, FailureMessages.LivesTooLong(rules.MaxTokenLifetimeSeconds), token, kid);
        }

        if (!NamesAudience(token))
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidAudience, FailureMessages.WrongAudience(rules.Audience), token, kid);
        }

        return AuthenticationResult.Success(token, kid);
    }

    private static bool IsExpired(ParsedToken token, long now, int skew) => token.ExpiresAt <= now - skew;

    private static bool IsIssuedInTheFuture(ParsedToken token, long now, int skew) => token.IssuedAt > now + skew;

    private static bool IsNotYetValid(ParsedToken token, long now, int skew) => token.NotBefore > now + skew;

    private static bool LivesTooLong(ParsedToken token, int maxLifetime) => token.ExpiresAt - token.IssuedAt > maxLifetime;

    /// <summary>Compared with <see cref="PartnerAuthOptions.Audience"/> while the payload was read (<see cref="TokenReader"/>).</summary>
    private static bool NamesAudience(ParsedToken token) => token.NamesAudience;
}
