using JustGold.Api.Http;

namespace JustGold.Api.Admin;

/// <summary>The operator API's refusals, each message written once, in the contract's error body.</summary>
internal static class AdminErrors
{
    public static IResult BadRequest(string error, string message, TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status400BadRequest, error, message, time);

    public static IResult InvalidPartnerId(TimeProvider time) =>
        BadRequest("invalid_request", "Partner ids are 1–64 characters of A-Z a-z 0-9 . _ -", time);

    public static IResult PartnerNotFound(string partnerId, TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status404NotFound, "not_found", $"No partner '{partnerId}' is registered.", time);

    public static IResult KeyNotFound(TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status404NotFound, "not_found", "The partner has no key with this kid.", time);

    public static IResult TooManyKeys(TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status409Conflict, "too_many_keys",
            "The partner already has the most active keys allowed; revoke one before adding another.", time);

    public static IResult KeyRevoked(TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status409Conflict, "key_revoked",
            "This key was revoked and cannot be used again; make a new key pair.", time);
}
