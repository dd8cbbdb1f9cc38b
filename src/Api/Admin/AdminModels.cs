using System.Text.Json.Nodes;
using JustGold.Grains.Contracts;
using JustGold.Api.Keys;

namespace JustGold.Api.Admin;

/// <summary>The JSON shapes of the operator API.</summary>
public static class AdminModels
{
    public static JsonObject Partner(PartnerDetails partner) => new()
    {
        ["id"] = partner.PartnerId,
        ["name"] = partner.Name,
        ["status"] = Status(partner.Status),
        ["created"] = partner.Created,
        ["updated"] = partner.Updated,
        ["keys"] = new JsonArray([.. partner.Keys.Select(k => (JsonNode)Key(k))]),
    };

    public static JsonObject Summary(PartnerSummary partner) => new()
    {
        ["id"] = partner.PartnerId,
        ["name"] = partner.Name,
        ["status"] = Status(partner.Status),
        ["created"] = partner.Created,
        ["updated"] = partner.Updated,
        ["activeKeys"] = partner.ActiveKeys,
    };

    /// <summary>A key as a public JWK (RFC 7517) plus its status, creation and revocation times.</summary>
    public static JsonObject Key(PartnerKey key)
    {
        var jwk = key.ToJsonWebKey();
        var json = new JsonObject
        {
            ["kid"] = key.Kid,
            ["kty"] = jwk.Kty,
            ["use"] = "sig",
        };
        if (key.KeyType == "RSA")
        {
            json["n"] = jwk.N;
            json["e"] = jwk.E;
        }
        else
        {
            json["crv"] = jwk.Crv;
            json["x"] = jwk.X;
            json["y"] = jwk.Y;
        }

        json["status"] = key.Status == KeyStatus.Active ? "active" : "revoked";
        json["created"] = key.Created;
        json["revoked"] = key.Revoked;
        return json;
    }

    public static JsonObject Audit(KeyAuditEntry entry) => new()
    {
        ["at"] = entry.At,
        ["actor"] = entry.Actor,
        ["partner"] = entry.PartnerId,
        ["kid"] = entry.Kid,
        ["action"] = entry.Action,
    };

    public static string Status(PartnerStatus status) => status == PartnerStatus.Active ? "active" : "suspended";
}
