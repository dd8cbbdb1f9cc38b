namespace JustGold.Api.Admin.Responses;

/// <summary>The body of <c>GET /admin/partners/{id}/audit</c>.</summary>
internal sealed record AuditTrailResponse(IReadOnlyList<AuditEntryResponse> Entries);
