namespace JustGold.Api.Admin.Responses;

/// <summary>One row of <c>GET /admin/partners</c>.</summary>
internal sealed record PartnerSummaryResponse(string Id, string Name, string Status, DateTimeOffset Created, DateTimeOffset Updated, int ActiveKeys);
