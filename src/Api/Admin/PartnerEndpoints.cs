using JustGold.Api.Admin.Responses;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin;

/// <summary>Partners: list, create or update, read, and the key audit trail.</summary>
internal static class PartnerEndpoints
{
    public static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var partners = await grains.GetGrain<IPartnerDirectoryGrain>(0).ListAsync();
        return TypedResults.Ok(AdminResponses.Partners(partners));
    }

    public static async Task<IResult> UpsertAsync(string partnerId, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var body = await AdminRequestBody.ReadTextAsync(request);
        if (body is null)
        {
            return AdminErrors.BadRequest("invalid_request", AdminRequestBody.TooLargeMessage, time);
        }

        var reading = PartnerUpdateReader.Read(body);
        if (!reading.Succeeded)
        {
            return AdminErrors.BadRequest("invalid_request", reading.Problem, time);
        }

        var result = await grains.GetGrain<IPartnerGrain>(partnerId).UpsertAsync(reading.Value);
        var partner = AdminResponses.Partner(result.Partner);
        return result.Created
            ? TypedResults.Created($"/admin/partners/{partnerId}", partner)
            : TypedResults.Ok(partner);
    }

    public static async Task<IResult> GetAsync(string partnerId, IGrainFactory grains, TimeProvider time)
    {
        var partner = await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync();
        return partner is null ? AdminErrors.PartnerNotFound(partnerId, time) : TypedResults.Ok(AdminResponses.Partner(partner));
    }

    public static async Task<IResult> GetAuditTrailAsync(string partnerId, IGrainFactory grains, TimeProvider time)
    {
        if (await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync() is null)
        {
            return AdminErrors.PartnerNotFound(partnerId, time);
        }

        var entries = await grains.GetGrain<IPartnerDirectoryGrain>(0).GetAuditTrailAsync(partnerId);
        return TypedResults.Ok(AdminResponses.AuditTrail(entries));
    }
}
