using System.Net;
using System.Text.Json.Nodes;
using JustGold.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Tests.Api.Ping;

/// <summary>GET /v1/ping over HTTP against the real API: successes, every error code, the challenge and the order of checks.</summary>
[Collection(ApiCollection.Name)]
public sealed class PingApiTests(ApiFixture api)
{
    private DateTimeOffset Now => api.Clock.GetUtcNow();

    [Theory]
    [InlineData("RS256", true)]
    [InlineData("RS256", false)]
    [InlineData("RS384", true)]
    [InlineData("RS512", false)]
    [InlineData("PS256", true)]
    [InlineData("PS256", false)]
    [InlineData("PS512", true)]
    public async Task Ping_AcceptsRsaAlgorithms(string alg, bool withKid)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);

        var (status, body, _) = await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now), withKid, alg)).ReadAsync();

        Assert.Equal(200, status);
        Assert.Equal(partner, body.GetProperty("partner").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ping_AcceptsEs256WithP256Key(bool withKid)
    {
        var key = TestKey.P256();
        var partner = await api.CreatePartnerAsync(key);

        var (status, _, _) = await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now), withKid)).ReadAsync();

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Ping_AcceptsEs384WithP384Key()
    {
        var key = TestKey.P384();
        var partner = await api.CreatePartnerAsync(key);

        var (status, _, _) = await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now))).ReadAsync();

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Ping_SuccessBodyEchoesPartnerSubjectAndTime()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims["sub"] = "billing-job";

        var (status, body, response) = await api.PingAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(200, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("billing-job", body.GetProperty("subject").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), body.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task Ping_SubjectIsNullWhenTokenHasNone()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims.Remove("sub");

        var (status, body, _) = await api.PingAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(200, status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("subject").ValueKind);
    }

    [Fact]
    public async Task Ping_AcceptsAudienceArrayContainingOurs()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims["aud"] = new JsonArray("other-api", Tokens.Audience);

        var (status, _, _) = await api.PingAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Ping_AcceptsEitherOfTwoActiveKeys()
    {
        var oldKey = SharedKeys.RsaA;
        var newKey = TestKey.P256();
        var partner = await api.CreatePartnerAsync(oldKey, newKey);

        foreach (var key in new[] { oldKey, newKey })
        {
            foreach (var withKid in new[] { true, false })
            {
                var (status, body, _) = await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now), withKid)).ReadAsync();
                Assert.True(status == 200, body.ToString());
            }
        }
    }

    [Fact]
    public async Task Ping_AcceptsTypAtJwtInAnyCase()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var header = Tokens.Header("RS256", key.Kid);
        header["typ"] = "AT+JWT";

        var (status, _, _) = await api.PingAsync(Tokens.Sign(header, Tokens.Claims(partner, Now), key.SigningKey)).ReadAsync();

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Ping_MissingTokenGetsPlainChallenge(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var (status, body, response) = await api.Client.SendAsync(request).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("missing_token", body.GetProperty("error").GetString());
        Assert.Equal("Bearer realm=\"justgold-api\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Ping_FailureHasContractBodyAndChallenge()
    {
        var (status, body, response) = await api.PingAsync("not-a-token").ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.Equal(Now.ToUnixTimeSeconds(), body.GetProperty("timestamp").GetInt64());
        Assert.Equal("Bearer realm=\"justgold-api\", error=\"invalid_token\", error_description=\"invalid_token\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Ping_RejectsUnknownIssuer()
    {
        var key = SharedKeys.RsaA;
        key.Kid = "whatever";

        await AssertFails("invalid_issuer", Tokens.Sign(key, Tokens.Claims(ApiFixture.NewPartnerId("ghost"), Now)));
    }

    [Fact]
    public async Task Ping_RejectsIssuerThatIsNoPartnerId()
    {
        var key = SharedKeys.RsaA;

        await AssertFails("invalid_issuer", Tokens.Sign(key, Tokens.Claims("../../etc/passwd", Now), withKid: false));
    }

    [Fact]
    public async Task Ping_RejectsSuspendedPartnerAndAcceptsAgainWhenReactivated()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now))).ReadAsync()).Status);

        await api.Admin.PutAsync($"/admin/partners/{partner}", Json("{\"status\":\"suspended\"}"));
        await AssertFails("invalid_issuer", Tokens.Sign(key, Tokens.Claims(partner, Now)));

        await api.Admin.PutAsync($"/admin/partners/{partner}", Json("{\"status\":\"active\"}"));
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_RejectsSignatureFromAnotherKey()
    {
        var registered = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(registered);
        var other = SharedKeys.RsaB;
        other.Kid = registered.Kid;

        await AssertFails("invalid_signature", Tokens.Sign(other, Tokens.Claims(partner, Now)));
        await AssertFails("invalid_signature", Tokens.Sign(other, Tokens.Claims(partner, Now), withKid: false));
    }

    [Fact]
    public async Task Ping_RejectsUnknownKidEvenWhenAnotherKeyWouldVerify()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var header = Tokens.Header("RS256", "no-such-kid");

        await AssertFails("invalid_signature", Tokens.Sign(header, Tokens.Claims(partner, Now), key.SigningKey));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("' OR '1'='1")]
    [InlineData("x'; DROP TABLE jg_partner_keys; --")]
    public async Task Ping_TreatsHostileKidAsUnknown(string kid)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);

        await AssertFails("invalid_signature", Tokens.Sign(Tokens.Header("RS256", kid), Tokens.Claims(partner, Now), key.SigningKey));
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_RejectsPayloadChangedAfterSigning()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var parts = Tokens.Sign(key, Tokens.Claims(partner, Now)).Split('.');
        var changed = Tokens.Claims(partner, Now);
        changed["sub"] = "admin";

        await AssertFails("invalid_signature", $"{parts[0]}.{Tokens.Encode(changed)}.{parts[2]}");
    }

    [Fact]
    public async Task Ping_RejectsStrippedSignature()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        await AssertFails("invalid_signature", token[..(token.LastIndexOf('.') + 1)]);
    }

    [Fact]
    public async Task Ping_RejectsAllZeroEs256Signature()
    {
        var key = TestKey.P256();
        var partner = await api.CreatePartnerAsync(key);
        var zeros = Base64UrlEncoder.Encode(new byte[64]);

        await AssertFails("invalid_signature", Tokens.Unsigned(Tokens.Header("ES256", key.Kid), Tokens.Claims(partner, Now), zeros));
    }

    [Fact]
    public async Task Ping_IgnoresKeysCarriedInTheToken()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var attacker = SharedKeys.RsaB;
        var attackerJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(((System.Security.Cryptography.RSA)attacker.Algorithm).ExportParameters(false)));

        var withJwk = Tokens.Header("RS256", null);
        withJwk["jwk"] = new JsonObject { ["kty"] = "RSA", ["n"] = attackerJwk.N, ["e"] = attackerJwk.E };
        var withJku = Tokens.Header("RS256", null);
        withJku["jku"] = "http://127.0.0.1:1/keys.json";
        withJku["x5u"] = "http://127.0.0.1:1/cert.pem";

        await AssertFails("invalid_signature", Tokens.Sign(withJwk, Tokens.Claims(partner, Now), attacker.SigningKey));
        await AssertFails("invalid_signature", Tokens.Sign(withJku, Tokens.Claims(partner, Now), attacker.SigningKey));
    }

    [Fact]
    public async Task Ping_RejectsAlgorithmThatDoesNotFitTheKey()
    {
        var rsa = SharedKeys.RsaA;
        var ec = TestKey.P256();
        var partner = await api.CreatePartnerAsync(rsa, ec);

        // ES384 with a P-256 key, and an RSA algorithm naming the EC key's kid.
        await AssertFails("invalid_signature", Tokens.Sign(Tokens.Header("ES384", ec.Kid), Tokens.Claims(partner, Now),
            TestKey.P384().SigningKey));
        await AssertFails("invalid_signature", Tokens.Sign(Tokens.Header("RS256", ec.Kid), Tokens.Claims(partner, Now), rsa.SigningKey));
    }

    [Fact]
    public async Task Ping_RejectsAlgNone()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);

        await AssertFails("invalid_token", Tokens.Unsigned(new JsonObject { ["alg"] = "none" }, Tokens.Claims(partner, Now)));
        await AssertFails("invalid_token", Tokens.Unsigned(new JsonObject { ["alg"] = "None", ["kid"] = key.Kid }, Tokens.Claims(partner, Now)));
    }

    [Fact]
    public async Task Ping_RejectsHs256SignedWithThePublicKey()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var pemSecret = new SymmetricSecurityKey(System.Text.Encoding.ASCII.GetBytes(key.PublicPem));
        var derSecret = new SymmetricSecurityKey(((System.Security.Cryptography.RSA)key.Algorithm).ExportSubjectPublicKeyInfo());

        await AssertFails("invalid_token", Tokens.Sign(Tokens.Header("HS256", key.Kid), Tokens.Claims(partner, Now), pemSecret));
        await AssertFails("invalid_token", Tokens.Sign(Tokens.Header("HS256", null), Tokens.Claims(partner, Now), derSecret));
    }

    [Fact]
    public async Task Ping_RejectsCritHeader()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var header = Tokens.Header("RS256", key.Kid);
        header["crit"] = new JsonArray("exp");

        await AssertFails("invalid_token", Tokens.Sign(header, Tokens.Claims(partner, Now), key.SigningKey));
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    [InlineData("iat")]
    [InlineData("exp")]
    [InlineData("jti")]
    public async Task Ping_RejectsMissingRequiredClaim(string claim)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims.Remove(claim);

        await AssertFails("invalid_token", Tokens.Sign(key, claims));
    }

    [Theory]
    [InlineData("exp", "\"2000000000\"")]
    [InlineData("iat", "\"1700000000\"")]
    [InlineData("nbf", "true")]
    [InlineData("aud", "{\"value\":\"justgold-api\"}")]
    [InlineData("aud", "[\"justgold-api\", 7]")]
    [InlineData("iss", "42")]
    [InlineData("jti", "12345")]
    [InlineData("jti", "\"\"")]
    [InlineData("sub", "{}")]
    [InlineData("sub", "5")]
    public async Task Ping_RejectsClaimOfWrongType(string claim, string json)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims[claim] = JsonNode.Parse(json);

        await AssertFails("invalid_token", Tokens.Sign(key, claims));
    }

    [Fact]
    public async Task Ping_RejectsJtiLongerThan256Characters()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);

        await AssertFails("invalid_token", Tokens.Sign(key, Tokens.Claims(partner, Now, jti: new string('j', 257))));
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now, jti: new string('j', 256)))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_RejectsLifetimeOverMaximum()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);

        await AssertFails("invalid_token", Tokens.Sign(key, Tokens.Claims(partner, Now, lifetimeSeconds: 3601)));
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now, lifetimeSeconds: 3600))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_RejectsTokenLargerThan8KiB()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims["pad"] = new string('x', 8 * 1024);

        var (status, body, _) = await api.PingAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
        Assert.Contains("8 KiB", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJwIn0=.c2ln")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJwIn0.c2l+/w")]
    [InlineData("bm90IGpzb24.bm90IGpzb24.c2ln")]
    [InlineData("W10.W10.c2ln")]
    public async Task Ping_RejectsMalformedTokens(string token) => await AssertFails("invalid_token", token);

    [Fact]
    public async Task Ping_RejectsExpiredTokenBeyondSkewButAcceptsWithinSkew()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var now = Now.ToUnixTimeSeconds();

        var withinSkew = Tokens.Claims(partner, Now);
        withinSkew["iat"] = now - 300;
        withinSkew["exp"] = now - 59;
        var beyondSkew = Tokens.Claims(partner, Now);
        beyondSkew["iat"] = now - 300;
        beyondSkew["exp"] = now - 60;

        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, withinSkew)).ReadAsync()).Status);
        await AssertFails("expired_token", Tokens.Sign(key, beyondSkew));
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("nbf")]
    public async Task Ping_RejectsIssuedOrNotBeforeInTheFutureBeyondSkew(string claim)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var now = Now.ToUnixTimeSeconds();

        var within = Tokens.Claims(partner, Now);
        within[claim] = now + 60;
        var beyond = Tokens.Claims(partner, Now);
        beyond[claim] = now + 61;

        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, within)).ReadAsync()).Status);
        await AssertFails("invalid_token", Tokens.Sign(key, beyond));
    }

    [Fact]
    public async Task Ping_RejectsWrongAudience()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims["aud"] = new JsonArray("payments-api", "justgold-api-staging");

        await AssertFails("invalid_audience", Tokens.Sign(key, claims));
    }

    [Fact]
    public async Task Ping_RejectsReplayedJti()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        Assert.Equal(200, (await api.PingAsync(token).ReadAsync()).Status);
        await AssertFails("replayed_token", token);
        await AssertFails("replayed_token", Tokens.Sign(key, Tokens.Claims(partner, Now, jti: JtiOf(token))));
    }

    [Fact]
    public async Task Ping_BadSignatureDoesNotUseUpTheJti()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var jti = Guid.NewGuid().ToString();
        var forger = SharedKeys.RsaB;
        forger.Kid = key.Kid;

        await AssertFails("invalid_signature", Tokens.Sign(forger, Tokens.Claims(partner, Now, jti)));
        var expired = Tokens.Claims(partner, Now.AddHours(-1), jti);
        await AssertFails("expired_token", Tokens.Sign(key, expired));

        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, Now, jti))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_JtiIsScopedToItsPartner()
    {
        var key = SharedKeys.RsaA;
        var first = await api.CreatePartnerAsync(key);
        var secondKey = SharedKeys.RsaA;
        var second = await api.CreatePartnerAsync(secondKey);
        var jti = Guid.NewGuid().ToString();

        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(key, Tokens.Claims(first, Now, jti))).ReadAsync()).Status);
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(secondKey, Tokens.Claims(second, Now, jti))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_AcceptsSameTokenExactlyOnceUnderConcurrency()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => api.PingAsync(token).ReadAsync()));

        Assert.Equal(1, answers.Count(a => a.Status == 200));
        Assert.All(answers.Where(a => a.Status != 200), a => Assert.Equal("replayed_token", a.Body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Ping_RevokedKeyVerifiesNothingFromTheNextRequest()
    {
        var revoked = SharedKeys.RsaA;
        var kept = TestKey.P256();
        var partner = await api.CreatePartnerAsync(revoked, kept);
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(revoked, Tokens.Claims(partner, Now))).ReadAsync()).Status);

        var deleted = await api.Admin.DeleteAsync($"/admin/partners/{partner}/keys/{revoked.Kid}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await AssertFails("invalid_signature", Tokens.Sign(revoked, Tokens.Claims(partner, Now)));
        await AssertFails("invalid_signature", Tokens.Sign(revoked, Tokens.Claims(partner, Now), withKid: false));
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(kept, Tokens.Claims(partner, Now))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_KeyUploadedAfterFirstUseVerifiesImmediately()
    {
        var first = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(first);
        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(first, Tokens.Claims(partner, Now))).ReadAsync()).Status);

        var second = TestKey.P256();
        second.Kid = await api.Admin.UploadKeyAsync(partner, second.PublicPem);

        Assert.Equal(200, (await api.PingAsync(Tokens.Sign(second, Tokens.Claims(partner, Now))).ReadAsync()).Status);
    }

    [Fact]
    public async Task Ping_ChecksInContractOrder()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var forger = SharedKeys.RsaB;
        forger.Kid = key.Kid;
        var expiredWrongAudience = Tokens.Claims(partner, Now.AddHours(-2));
        expiredWrongAudience["aud"] = "elsewhere";

        // form before issuer, issuer before signature, signature before expiry, expiry before audience.
        await AssertFails("invalid_token", Tokens.Unsigned(new JsonObject { ["alg"] = "HS256" }, Tokens.Claims("ghost-partner", Now)));
        await AssertFails("invalid_issuer", Tokens.Sign(forger, Tokens.Claims("ghost-partner", Now.AddHours(-2))));
        await AssertFails("invalid_signature", Tokens.Sign(forger, expiredWrongAudience));
        await AssertFails("expired_token", Tokens.Sign(key, expiredWrongAudience));
    }

    [Fact]
    public async Task Ping_MessageNeverEchoesTheToken()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var forger = SharedKeys.RsaB;
        forger.Kid = key.Kid;
        var claims = Tokens.Claims(partner, Now);
        claims["sub"] = "secret-subject-value";
        var token = Tokens.Sign(forger, claims);

        var (_, body, _) = await api.PingAsync(token).ReadAsync();

        var text = body.ToString();
        Assert.DoesNotContain(token.Split('.')[1], text);
        Assert.DoesNotContain("secret-subject-value", text);
        Assert.DoesNotContain(claims["jti"]!.GetValue<string>(), text);
    }

    [Fact]
    public async Task Ping_NeverAnswers5xxForClientBytes()
    {
        var random = new Random(20261128);
        var inputs = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            inputs.Add(Convert.ToBase64String(bytes));
            inputs.Add(string.Join('.', Enumerable.Range(0, 3).Select(_ => Base64UrlEncoder.Encode(bytes[..random.Next(0, bytes.Length)]))));
            inputs.Add(Tokens.EncodeRaw("{\"alg\":\"RS256\"}") + "." + Base64UrlEncoder.Encode(bytes) + ".c2ln");
        }

        inputs.Add(Tokens.EncodeRaw("{\"alg\":\"RS256\",\"x\":\"" + new string('h', 7000) + "\"}") + ".e30.c2ln");
        inputs.Add(new string('a', 20_000));
        inputs.Add(Tokens.EncodeRaw("{\"alg\":\"RS256\"") + "." + Tokens.EncodeRaw("{\"iss\":") + ".c2ln");
        inputs.Add(Tokens.EncodeRaw("{\"alg\":\"RS256\"}") + "." + Tokens.EncodeRaw("{\"iss\":\"x\",\"exp\":1e400}") + ".c2ln");

        foreach (var input in inputs)
        {
            var (status, body, _) = await api.PingAsync(input).ReadAsync();
            Assert.True(status == 401, $"{status} for input of length {input.Length}");
            Assert.Equal("invalid_token", body.GetProperty("error").GetString());
        }
    }

    private async Task AssertFails(string error, string token)
    {
        var (status, body, response) = await api.PingAsync(token).ReadAsync();
        Assert.True(status == 401, $"expected 401 {error}, got {status} {body}");
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal($"Bearer realm=\"justgold-api\", error=\"invalid_token\", error_description=\"{error}\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    private static string JtiOf(string token) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!["jti"]!.GetValue<string>();

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
