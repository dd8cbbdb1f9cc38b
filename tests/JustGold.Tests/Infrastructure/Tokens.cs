using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// Builds tokens the way partners' libraries do, and hostile ones the way attackers do:
/// header and payload are plain JSON the test controls, signed with IdentityModel.
/// </summary>
public static class Tokens
{
    public const string Audience = "justgold-api";

    /// <summary>Standard claims for <paramref name="partnerId"/> at <paramref name="now"/>, valid for five minutes.</summary>
    public static JsonObject Claims(string partnerId, DateTimeOffset now, string? jti = null, int lifetimeSeconds = 300) => new()
    {
        ["iss"] = partnerId,
        ["sub"] = "order-service",
        ["aud"] = Audience,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.ToUnixTimeSeconds() + lifetimeSeconds,
        ["jti"] = jti ?? Guid.NewGuid().ToString(),
    };

    public static JsonObject Header(string alg, string? kid)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    /// <summary>A token signed by <paramref name="key"/> with its default algorithm and its kid.</summary>
    public static string Sign(TestKey key, JsonObject claims, bool withKid = true, string? alg = null) =>
        Sign(Header(alg ?? key.DefaultAlg, withKid ? key.Kid : null), claims, key.SigningKey);

    /// <summary>Signs any header and payload with any key (including HMAC keys, for attacks).</summary>
    public static string Sign(JsonNode header, JsonNode claims, SecurityKey key)
    {
        var alg = header["alg"]!.GetValue<string>();
        var input = Encode(header) + "." + Encode(claims);
        var provider = key.CryptoProviderFactory.CreateForSigning(key, alg);
        try
        {
            return input + "." + Base64UrlEncoder.Encode(provider.Sign(Encoding.ASCII.GetBytes(input)));
        }
        finally
        {
            key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    /// <summary>Signs header and payload JSON exactly as written (trailing bytes and all) with a partner's key.</summary>
    public static string SignRaw(TestKey key, string headerJson, string payloadJson)
    {
        var input = EncodeRaw(headerJson) + "." + EncodeRaw(payloadJson);
        var provider = key.SigningKey.CryptoProviderFactory.CreateForSigning(key.SigningKey, key.DefaultAlg);
        try
        {
            return input + "." + Base64UrlEncoder.Encode(provider.Sign(Encoding.ASCII.GetBytes(input)));
        }
        finally
        {
            key.SigningKey.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    /// <summary>Header and payload with a signature the caller chooses (possibly empty).</summary>
    public static string Unsigned(JsonNode header, JsonNode claims, string signature = "") =>
        Encode(header) + "." + Encode(claims) + "." + signature;

    public static string Encode(JsonNode node) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public static string EncodeRaw(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static JsonObject Clone(this JsonObject node) => JsonNode.Parse(node.ToJsonString())!.AsObject();

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
