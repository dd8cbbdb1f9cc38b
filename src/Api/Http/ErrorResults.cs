namespace JustGold.Api.Http;

/// <summary>Error answers in the contract's shape.</summary>
internal static class ErrorResults
{
    public static IResult Create(int status, string error, string message, TimeProvider time) =>
        TypedResults.Json(new ErrorResponse(error, message, time.GetUtcNow().ToUnixTimeSeconds()), statusCode: status);

    public static IResult ServiceUnavailable(TimeProvider time) =>
        Create(StatusCodes.Status503ServiceUnavailable, "service_unavailable", "The service cannot decide right now; try again shortly.", time);
}
