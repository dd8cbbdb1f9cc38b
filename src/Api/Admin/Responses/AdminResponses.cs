using JustGold.Api.Keys;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin.Responses;

/// <summary>Turns what the grains hold into the operator API's bodies.</summary>
internal static class AdminResponses
{
    public static PartnerResponse Partner(PartnerDetails partner) =>
        new(partner.PartnerId, partner.Name, Status(partner.Status), partner.Created, partner.Updated, [.. partner.Keys.Select(Key)]);

    public static PartnerListResponse Partners(IEnumerable<PartnerSummary> partners) =>
        new([.. partners.Select(p => new PartnerSummaryResponse(p.PartnerId, p.Name, Status(p.Status), p.Created, p.Updated, p.ActiveKeys))]);

    public static KeySetResponse Keys(IEnumerable<PartnerKey> keys) => new([.. keys.Select(Key)]);

    public static KeyResponse Key(PartnerKey key)
    {
        var jwk = key.ToJsonWebKey();
        var rsa = key.KeyType == "RSA";
        return new KeyResponse(
            key.Kid,
            jwk.Kty,
            "sig",
            rsa ? jwk.N : null,
            rsa ? jwk.E : null,
            rsa ? null : jwk.Crv,
            rsa ? null : jwk.X,
            rsa ? null : jwk.Y,
            key.Status == KeyStatus.Active ? "active" : "revoked",
            key.Created,
            key.Revoked);
    }

    public static AuditTrailResponse AuditTrail(IEnumerable<KeyAuditEntry> entries) =>
        new([.. entries.Select(e => new AuditEntryResponse(e.At, e.Actor, e.PartnerId, e.Kid, e.Action))]);

    private static string Status(PartnerStatus status) => status == PartnerStatus.Active ? "active" : "suspended";
}
