namespace JustGold.Api.Admin.Responses;

/// <summary>A partner's keys as a JWKS: the body of <c>GET /admin/partners/{id}/keys</c>.</summary>
internal sealed record KeySetResponse(IReadOnlyList<KeyResponse> Keys);
