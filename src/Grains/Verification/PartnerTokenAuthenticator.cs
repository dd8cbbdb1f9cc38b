using System.Diagnostics;
using System.Text;
using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Grains.Verification;

/// <summary>
/// Verifies a partner's bearer token in the contract's order: form → issuer → signature →
/// expiry → other claims → replay. Everything up to replay runs here, in parallel on any
/// node; the partner's grain then confirms atomically that the key is still active and the
/// jti unseen, and records the jti.
/// </summary>
public sealed partial class PartnerTokenAuthenticator(
    PartnerKeyCache keyCache,
    ConfirmationBatcher confirmations,
    IOptions<PartnerAuthOptions> options,
    TimeProvider time,
    PartnerAuthMetrics metrics,
    ILogger<PartnerTokenAuthenticator> logger)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>Authenticates the value of an <c>Authorization</c> header.</summary>
    public async Task<AuthenticationResult> AuthenticateAsync(string? authorization)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await AuthenticateCoreAsync(authorization);
        var code = result.Failure.ToErrorCode();
        metrics.Verified(code, Stopwatch.GetElapsedTime(started));
        if (result.Failure == TokenFailure.ServiceUnavailable)
        {
            LogUnavailable(logger, result.Partner, result.Kid, result.Jti);
        }
        else
        {
            LogVerified(logger, code, result.Partner, result.Kid, result.Jti);
        }

        return result;
    }

    private async Task<AuthenticationResult> AuthenticateCoreAsync(string? authorization)
    {
        var raw = ReadBearer(authorization);
        if (raw is null)
        {
            return AuthenticationResult.Fail(TokenFailure.MissingToken, "Send the token as 'Authorization: Bearer <token>'.");
        }

        var token = TokenReader.Read(raw, out var problem);
        if (token is null)
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidToken, problem!);
        }

        if (!PartnerIds.IsValid(token.Issuer))
        {
            return AuthenticationResult.Fail(TokenFailure.InvalidIssuer, "The issuer is not a registered partner.");
        }

        try
        {
            var keySet = await keyCache.GetAsync(token.Issuer);
            var (result, kid) = Check(token, keySet);
            if (!result.Succeeded && !keySet.Fresh)
            {
                // This node's copy of the keys may be stale; a failure is only reported against the grain's current keys.
                keySet = await keyCache.FetchAsync(token.Issuer);
                (result, kid) = Check(token, keySet);
            }

            return result.Succeeded ? await ConfirmAsync(token, kid!) : result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogClusterError(logger, ex, token.Issuer);
            metrics.Unavailable(UnavailableCause.Of(ex));
            return AuthenticationResult.Fail(TokenFailure.ServiceUnavailable, "The service cannot decide right now; try again shortly.", token);
        }
    }

    private async Task<AuthenticationResult> ConfirmAsync(ParsedToken token, string kid)
    {
        var verdict = await confirmations.ConfirmAsync(token.Issuer, new TokenConfirmation(kid, token.Jti, token.ExpiresAt));
        switch (verdict)
        {
            case ConfirmationVerdict.Accepted:
                return new AuthenticationResult(TokenFailure.None, "ok", token.Issuer, token.Subject, kid, token.Jti);
            case ConfirmationVerdict.Replayed:
                return AuthenticationResult.Fail(TokenFailure.ReplayedToken, "A token with this jti was already accepted; use a fresh jti for every token.", token, kid);
            case ConfirmationVerdict.PartnerNotActive:
                keyCache.Forget(token.Issuer);
                return AuthenticationResult.Fail(TokenFailure.InvalidIssuer, "The issuer is not a registered, active partner.", token);
            case ConfirmationVerdict.KeyNotActive:
                keyCache.Forget(token.Issuer);
                return AuthenticationResult.Fail(TokenFailure.InvalidSignature, SignatureMessage, token);
            default:
                metrics.Unavailable(UnavailableCause.Storage);
                return AuthenticationResult.Fail(TokenFailure.ServiceUnavailable, "The service cannot decide right now; try again shortly.", token, kid);
        }
    }

    private const string SignatureMessage =
        "No active key of this partner verifies the signature (check the kid, the algorithm and the key you signed with).";

    /// <summary>The checks after form, in the contract's order; returns the kid of the key that verified.</summary>
    private (AuthenticationResult Result, string? Kid) Check(ParsedToken token, VerificationKeySet keySet)
    {
        if (!keySet.CanAuthenticate)
        {
            return (AuthenticationResult.Fail(TokenFailure.InvalidIssuer, "The issuer is not a registered, active partner.", token), null);
        }

        var kid = FindVerifyingKey(token, keySet.Keys);
        if (kid is null)
        {
            return (AuthenticationResult.Fail(TokenFailure.InvalidSignature, SignatureMessage, token), null);
        }

        var rules = options.Value;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var skew = rules.ClockSkewSeconds;
        if (token.ExpiresAt <= now - skew)
        {
            return (AuthenticationResult.Fail(TokenFailure.ExpiredToken, "The token has expired ('exp' is in the past beyond the allowed clock skew).", token, kid), kid);
        }

        var claimProblem = CheckTimes(token, now, skew, rules.MaxTokenLifetimeSeconds);
        if (claimProblem is not null)
        {
            return (AuthenticationResult.Fail(TokenFailure.InvalidToken, claimProblem, token, kid), kid);
        }

        if (!token.Jwt.Audiences.Contains(rules.Audience, StringComparer.Ordinal))
        {
            return (AuthenticationResult.Fail(TokenFailure.InvalidAudience, $"The 'aud' claim must contain '{rules.Audience}'.", token, kid), kid);
        }

        return (new AuthenticationResult(TokenFailure.None, "ok"), kid);
    }

    private static string? CheckTimes(ParsedToken token, long now, int skew, int maxLifetime)
    {
        if (token.IssuedAt > now + skew)
        {
            return "The 'iat' claim is in the future beyond the allowed clock skew; check your server's clock.";
        }

        if (token.NotBefore > now + skew)
        {
            return "The 'nbf' claim is in the future beyond the allowed clock skew.";
        }

        if (token.ExpiresAt - token.IssuedAt > maxLifetime)
        {
            return $"The token lives longer than {maxLifetime} seconds ('exp' - 'iat').";
        }

        return null;
    }

    /// <summary>
    /// With a kid only that key is tried; without one, every active key of a type that fits the
    /// algorithm. Keys come only from the partner's uploads, never from the token's headers.
    /// </summary>
    private static string? FindVerifyingKey(ParsedToken token, IReadOnlyList<VerificationKey> keys)
    {
        var encoded = token.Jwt.EncodedToken;
        var signature = DecodeSignature(token.Jwt.EncodedSignature);
        if (signature is null)
        {
            return null;
        }

        byte[]? input = null;
        foreach (var key in keys)
        {
            if ((token.KeyId is not null && key.Kid != token.KeyId) || !SigningAlgorithms.Fits(key.Family, token.Algorithm))
            {
                continue;
            }

            input ??= Encoding.ASCII.GetBytes(encoded, 0, encoded.LastIndexOf('.'));
            if (Verifies(key.SecurityKey, token.Algorithm, input, signature))
            {
                return key.Kid;
            }
        }

        return null;
    }

    private static byte[]? DecodeSignature(string encodedSignature)
    {
        if (encodedSignature.Length == 0)
        {
            return null;
        }

        try
        {
            return Base64UrlEncoder.DecodeBytes(encodedSignature);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Verifies(SecurityKey key, string algorithm, byte[] input, byte[] signature)
    {
        var factory = key.CryptoProviderFactory;
        var provider = factory.CreateForVerifying(key, algorithm);
        try
        {
            return provider.Verify(input, signature);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return false;
        }
        finally
        {
            factory.ReleaseSignatureProvider(provider);
        }
    }

    private static string? ReadBearer(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization.AsSpan(BearerPrefix.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Token verification: {Result} iss={Issuer} kid={Kid} jti={Jti}")]
    private static partial void LogVerified(ILogger logger, string result, string? issuer, string? kid, string? jti);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Token verification could not be decided (service_unavailable) iss={Issuer} kid={Kid} jti={Jti}")]
    private static partial void LogUnavailable(ILogger logger, string? issuer, string? kid, string? jti);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Cluster call for partner {PartnerId} failed; answering service_unavailable")]
    private static partial void LogClusterError(ILogger logger, Exception exception, string partnerId);
}
