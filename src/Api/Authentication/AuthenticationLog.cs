namespace JustGold.Api.Authentication;

/// <summary>
/// What token verification writes to the log: <c>iss</c>, <c>kid</c>, <c>jti</c> and the result
/// code, never the token. One line per request only at Debug, so callers cannot grow the logs.
/// </summary>
internal static partial class AuthenticationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Token verification: {Result} iss={Issuer} kid={Kid} jti={Jti}")]
    public static partial void Verified(ILogger logger, string result, string? issuer, string? kid, string? jti);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Token verification could not be decided (service_unavailable) iss={Issuer} kid={Kid} jti={Jti}")]
    public static partial void Unavailable(ILogger logger, string? issuer, string? kid, string? jti);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Cluster call for partner {PartnerId} failed; answering service_unavailable")]
    public static partial void ClusterError(ILogger logger, Exception exception, string partnerId);
}
