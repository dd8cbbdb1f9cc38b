using System.Net;
using System.Security.Cryptography;
using JustGold.PartnerClient;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JustGold.DocsTests;

/// <summary>The partner-facing .NET library: every request gets its own short-lived token.</summary>
public sealed class PartnerClientTests
{
    [Fact]
    public async Task Handler_signs_every_request_with_a_fresh_short_lived_token()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var credentials = PartnerSigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem(), kid: "key-1");
        var tokens = new PartnerTokenFactory(credentials, new PartnerTokenOptions { PartnerId = "acme", Subject = "orders" });
        var seen = new List<string>();
        using var client = new HttpClient(new PartnerTokenHandler(tokens) { InnerHandler = new Recorder(seen) });

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(new Uri("http://127.0.0.1:9/v1/ping"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var jwts = seen.Select(t => new JsonWebToken(t)).ToList();
        Assert.Equal(3, jwts.Select(j => j.Id).Distinct().Count());
        Assert.All(jwts, jwt =>
        {
            Assert.Equal("ES256", jwt.Alg);
            Assert.Equal("key-1", jwt.Kid);
            Assert.Equal("acme", jwt.Issuer);
            Assert.Equal("orders", jwt.Subject);
            Assert.Equal(["justgold-api"], jwt.Audiences);
            Assert.True(jwt.Id.Length >= 16);
            Assert.Equal(TimeSpan.FromSeconds(60), jwt.ValidTo - jwt.IssuedAt);
        });
    }

    [Fact]
    public void Signing_key_picks_the_algorithm_from_the_key()
    {
        using var rsa = RSA.Create(2048);
        Assert.Equal("RS256", PartnerSigningKey.FromPem(rsa.ExportRSAPrivateKeyPem()).Algorithm);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal("ES384", PartnerSigningKey.FromPem(p384.ExportECPrivateKeyPem()).Algorithm);
    }

    private sealed class Recorder(List<string> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("Bearer", request.Headers.Authorization?.Scheme);
            seen.Add(request.Headers.Authorization!.Parameter!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
