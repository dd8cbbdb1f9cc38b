using JustGold.Api.Admin.Responses;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin;

/// <summary>A partner's keys: the JWKS, uploads and revocations.</summary>
internal static class KeyEndpoints
{
    public static async Task<IResult> GetAllAsync(string partnerId, IGrainFactory grains, TimeProvider time)
    {
        var partner = await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync();
        return partner is null ? AdminErrors.PartnerNotFound(partnerId, time) : TypedResults.Ok(AdminResponses.Keys(partner.Keys));
    }

    public static async Task<IResult> UploadAsync(string partnerId, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var body = await AdminRequestBody.ReadTextAsync(request);
        if (body is null)
        {
            return AdminErrors.BadRequest("invalid_key", AdminRequestBody.TooLargeMessage, time);
        }

        var upload = KeyUploadReader.Read(request.ContentType, body, time.GetUtcNow());
        if (!upload.Succeeded)
        {
            return AdminErrors.BadRequest(upload.ErrorCode, upload.Problem, time);
        }

        var result = await grains.GetGrain<IPartnerGrain>(partnerId).AddKeyAsync(upload.Key, AdminRequestBody.Actor(request));
        if (!result.Succeeded)
        {
            return result.Failure switch
            {
                KeyChangeFailure.PartnerNotFound => AdminErrors.PartnerNotFound(partnerId, time),
                KeyChangeFailure.TooManyKeys => AdminErrors.TooManyKeys(time),
                _ => AdminErrors.KeyRevoked(time),
            };
        }

        var key = AdminResponses.Key(result.Key);
        return result.Created
            ? TypedResults.Created($"/admin/partners/{partnerId}/keys/{result.Key.Kid}", key)
            : TypedResults.Ok(key);
    }

    public static async Task<IResult> RevokeAsync(string partnerId, string kid, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var result = await grains.GetGrain<IPartnerGrain>(partnerId).RevokeKeyAsync(kid, AdminRequestBody.Actor(request));
        return result.Failure switch
        {
            KeyChangeFailure.None => TypedResults.NoContent(),
            KeyChangeFailure.PartnerNotFound => AdminErrors.PartnerNotFound(partnerId, time),
            _ => AdminErrors.KeyNotFound(time),
        };
    }
}
