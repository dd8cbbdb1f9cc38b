namespace JustGold.Api.Ping;

/// <summary>The success body of <c>/v1/ping</c>.</summary>
internal sealed record PingResponse(string Status, string Partner, string? Subject, long Timestamp);
