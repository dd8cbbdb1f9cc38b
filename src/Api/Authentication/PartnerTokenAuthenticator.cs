using System.Diagnostics;
using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using Microsoft.Extensions.Options;

namespace JustGold.Api.Authentication;

/// <summary>
/// Verifies a partner's bearer token in the contract's order: form → issuer → signature →
/// expiry → other claims → replay. Everything up to replay runs here, in parallel on any API
/// node; the partner's grain then confirms atomically that the key is still active and the
/// jti unseen, and records the jti.
/// </summary>
internal sealed class PartnerTokenAuthenticator(
    PartnerKeyCache keyCache,
    ConfirmationBatcher confirmations,
    IOptions<PartnerAuthOptions> options,
    TimeProvider time,
    PartnerAuthMetrics metrics,
    ILogger<PartnerTokenAuthenticator> logger)
{
    /// <summary>Authenticates the value of an <c>Authorization</c> header.</summary>
    public async Task<AuthenticationResult> AuthenticateAsync(string? authorization)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await AuthenticateCoreAsync(authorization);
        var code = result.Failure.ToErrorCode();
        metrics.Verified(code, Stopwatch.GetElapsedTime(started));
        if (result.Failure == TokenFailure.ServiceUnavailable)
        {
            AuthenticationLog.Unavailable(logger, result.Partner, result.Kid, result.Jti);
        }
        else
        {
            AuthenticationLog.Verified(logger, code, result.Partner, result.Kid, result.Jti);
        }

        return result;
    }

    private async Task<AuthenticationResult> AuthenticateCoreAsync(string? authorization)
    {
        var raw = BearerToken.FromHeader(authorization);
        if (raw.IsEmpty)
        {
            return AuthenticationResult.Fail(TokenFailure.MissingToken, FailureMessages.MissingToken);
        }

        var reading = TokenReader.Read(raw, options.Value.Audience);
        if (!reading.Succeeded)
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidToken, reading.Problem);
        }

        var token = reading.Value;
        if (!PartnerIds.IsValid(token.Issuer))
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidIssuer, FailureMessages.NotAPartner, token);
        }

        try
        {
            var checkedLocally = await CheckAgainstKeysAsync(token);
            return checkedLocally.Succeeded ? await ConfirmAsync(token, checkedLocally.Kid) : checkedLocally;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            AuthenticationLog.ClusterError(logger, ex, token.Issuer);
            metrics.Unavailable(UnavailableCause.Of(ex));
            return AuthenticationResult.Fail(TokenFailure.ServiceUnavailable, FailureMessages.Unavailable, token);
        }
    }

    /// <summary>
    /// Issuer, signature and claims against this node's copy of the partner's keys. That copy
    /// may be stale, so a failure is only reported once it holds against the grain's current keys.
    /// </summary>
    private async Task<AuthenticationResult> CheckAgainstKeysAsync(ParsedToken token)
    {
        var keySet = await keyCache.GetAsync(token.Issuer);
        var result = Check(token, keySet);
        if (!result.Succeeded && !keySet.Fresh)
        {
            // The grain's set decides. When it is the set just tried, the same maths gives the same answer:
            // a forged token costs one check, not two.
            var current = await keyCache.FetchAsync(token.Issuer);
            if (!current.HasSameKeysAs(keySet))
            {
                metrics.Rechecked();
                result = Check(token, current);
            }
        }

        return result;
    }

    private AuthenticationResult Check(ParsedToken token, VerificationKeySet keySet)
    {
        if (!keySet.CanAuthenticate)
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidIssuer, FailureMessages.PartnerNotActive, token);
        }

        var key = SignatureVerifier.FindVerifyingKey(token, keySet.Keys);
        if (key is null)
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidSignature, FailureMessages.Signature, token);
        }

        return ClaimRules.Check(token, key.Kid, options.Value, time.GetUtcNow().ToUnixTimeSeconds());
    }

    /// <summary>The grain's final say; a refusal because the partner or key changed also drops this node's stale copy.</summary>
    private async Task<AuthenticationResult> ConfirmAsync(ParsedToken token, string kid)
    {
        var verdict = await confirmations.ConfirmAsync(token.Issuer, new TokenConfirmation(kid, token.Jti, token.ExpiresAt));
        if (verdict is ConfirmationVerdict.PartnerNotActive or ConfirmationVerdict.KeyNotActive)
        {
            keyCache.Forget(token.Issuer);
        }
        else if (verdict == ConfirmationVerdict.StorageUnavailable)
        {
            metrics.Unavailable(UnavailableCause.Storage);
        }

        return verdict switch
        {
            ConfirmationVerdict.Accepted => AuthenticationResult.Success(token, kid),
            ConfirmationVerdict.Replayed => AuthenticationResult.Fail(TokenFailure.ReplayedToken, FailureMessages.Replayed, token, kid),
            ConfirmationVerdict.PartnerNotActive => AuthenticationResult.Fail(TokenFailure.InvalidIssuer, FailureMessages.PartnerNotActive, token),
            ConfirmationVerdict.KeyNotActive => AuthenticationResult.Fail(TokenFailure.InvalidSignature, FailureMessages.Signature, token),
            _ => AuthenticationResult.Fail(TokenFailure.ServiceUnavailable, FailureMessages.Unavailable, token, kid),
        };
    }
}
