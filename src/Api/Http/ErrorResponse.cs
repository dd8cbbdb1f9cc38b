namespace JustGold.Api.Http;

/// <summary>The one error body of the contract: <c>{"error","message","timestamp"}</c>.</summary>
public sealed record ErrorResponse(string Error, string Message, long Timestamp);

/// <summary>Error answers in the contract's shape.</summary>
public static class ErrorResults
{
    public static IResult Create(int status, string error, string message, TimeProvider time) =>
        TypedResults.Json(new ErrorResponse(error, message, time.GetUtcNow().ToUnixTimeSeconds()), statusCode: status);

    public static IResult ServiceUnavailable(TimeProvider time) =>
        TypedResults.Json(ServiceUnavailableBody(time), statusCode: StatusCodes.Status503ServiceUnavailable);

    public static ErrorResponse ServiceUnavailableBody(TimeProvider time) =>
        new("service_unavailable", "The service cannot decide right now; try again shortly.", time.GetUtcNow().ToUnixTimeSeconds());
}
