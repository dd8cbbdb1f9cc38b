namespace JustGold.Api.Authentication;

/// <summary>
/// What token verification writes to the log: <c>iss</c>, <c>kid</c>, <c>jti</c> and the result
/// code, never the token. One line per request only at Debug, so callers cannot grow the logs, and
/// every value taken from a token goes through <see cref="TokenLogValue.Escape"/> first.
/// </summary>
internal static partial class AuthenticationLog
{
    public static void Verified(ILogger logger, string result, string? issuer, string? kid, string? jti)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogVerified(logger, result, TokenLogValue.Escape(issuer), TokenLogValue.Escape(kid), TokenLogValue.Escape(jti));
        }
    }

    public static void Unavailable(ILogger logger, string? issuer, string? kid, string? jti) =>
        LogUnavailable(logger, TokenLogValue.Escape(issuer), TokenLogValue.Escape(kid), TokenLogValue.Escape(jti));

    /// <summary><paramref name="partnerId"/> has passed the partner id check, so it needs no escaping.</summary>
    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Cluster call for partner {PartnerId} failed; answering service_unavailable")]
    public static partial void ClusterError(ILogger logger, Exception exception, string partnerId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Token verification: {Result} iss={Issuer} kid={Kid} jti={Jti}")]
    private static partial void LogVerified(ILogger logger, string result, string? issuer, string? kid, string? jti);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Token verification could not be decided (service_unavailable) iss={Issuer} kid={Kid} jti={Jti}")]
    private static partial void LogUnavailable(ILogger logger, string? issuer, string? kid, string? jti);
}
