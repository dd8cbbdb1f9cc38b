using System.Text.Json.Serialization;

namespace JustGold.Api.Admin.Responses;

/// <summary>
/// A key as a public JWK (RFC 7517) plus its status, creation and revocation times. RSA keys
/// carry <c>n</c> and <c>e</c>, EC keys <c>crv</c>, <c>x</c> and <c>y</c>; the others are left out.
/// </summary>
internal sealed record KeyResponse(
    string Kid,
    string Kty,
    string Use,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y,
    string Status,
    DateTimeOffset Created,
    DateTimeOffset? Revoked);
