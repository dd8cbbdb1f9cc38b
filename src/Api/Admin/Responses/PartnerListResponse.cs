namespace JustGold.Api.Admin.Responses;

/// <summary>The body of <c>GET /admin/partners</c>.</summary>
internal sealed record PartnerListResponse(IReadOnlyList<PartnerSummaryResponse> Partners);
