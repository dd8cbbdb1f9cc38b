namespace JustGold.Api.Admin.Responses;

/// <summary>A partner with all its keys: the body of <c>GET/PUT /admin/partners/{id}</c>.</summary>
internal sealed record PartnerResponse(string Id, string Name, string Status, DateTimeOffset Created, DateTimeOffset Updated, IReadOnlyList<KeyResponse> Keys);
