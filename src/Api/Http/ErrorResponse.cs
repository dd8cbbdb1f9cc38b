namespace JustGold.Api.Http;

/// <summary>The one error body of the contract: <c>{"error","message","timestamp"}</c>.</summary>
internal sealed record ErrorResponse(string Error, string Message, long Timestamp);
