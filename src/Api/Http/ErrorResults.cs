using JustGold.Api.Authentication;

namespace JustGold.Api.Http;

/// <summary>Error answers in the contract's shape.</summary>
internal static class ErrorResults
{
    public static IResult Create(int status, string error, string message, TimeProvider time) =>
        TypedResults.Json(new ErrorResponse(error, message, time.GetUtcNow().ToUnixTimeSeconds()), statusCode: status);

    public static IResult ServiceUnavailable(TimeProvider time) =>
        TypedResults.Json(ServiceUnavailableBody(time), statusCode: StatusCodes.Status503ServiceUnavailable);

    public static ErrorResponse ServiceUnavailableBody(TimeProvider time) =>
        new("service_unavailable", FailureMessages.Unavailable, time.GetUtcNow().ToUnixTimeSeconds());
}
