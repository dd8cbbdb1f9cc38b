using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JustGold.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Tests.Api.Admin;

/// <summary>The operator API over HTTP: authentication, partners, key upload rules, JWKS, revocation and audit.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminApiTests(ApiFixture api)
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key")]
    [InlineData("test-admin-key-4b1")]
    public async Task Admin_RejectsMissingOrWrongKey(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/partners");
        if (key is not null)
        {
            request.Headers.Add("X-Admin-Key", key);
        }

        var (status, body, _) = await api.Client.SendAsync(request).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        Assert.True(body.TryGetProperty("timestamp", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData(" \t\r\n ")]
    public async Task Admin_IsDisabledWithoutConfiguredKey(string? configured)
    {
        // Issue 10 item 7: header values arrive trimmed, so a whitespace-only key could never be sent: not configured.
        var directory = ApiFactory.NewDataDirectory();
        var logs = new CapturingLoggerProvider();
        await using var factory = new ApiFactory(directory, adminKey: configured, ApiFactory.NewClock(),
            services: services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", "anything");

        var (status, body, _) = await client.PutAsync("/admin/partners/acme", null).ReadAsync();

        Assert.Equal(403, status);
        Assert.Equal("admin_disabled", body.GetProperty("error").GetString());
        Assert.Contains(logs.Lines, line => line.Contains("[5001]", StringComparison.Ordinal) && line.Contains("Admin__ApiKey", StringComparison.Ordinal));
        ApiFixture.TryDelete(directory);
    }

    [Fact]
    public async Task PutPartner_CreatesActiveThenUpdatesOnlyGivenFields()
    {
        var id = ApiFixture.NewPartnerId();

        var (created, createdBody, createdResponse) = await api.Admin.PutAsync($"/admin/partners/{id}", Json("{\"name\":\"Acme Ltd\"}")).ReadAsync();
        Assert.Equal(201, created);
        Assert.Equal("active", createdBody.GetProperty("status").GetString());
        Assert.Equal($"/admin/partners/{id}", createdResponse.Headers.Location?.ToString());

        var (updated, updatedBody, _) = await api.Admin.PutAsync($"/admin/partners/{id}", Json("{\"status\":\"suspended\"}")).ReadAsync();
        Assert.Equal(200, updated);
        Assert.Equal("Acme Ltd", updatedBody.GetProperty("name").GetString());
        Assert.Equal("suspended", updatedBody.GetProperty("status").GetString());

        var (_, fetched, _) = await api.Admin.GetAsync($"/admin/partners/{id}").ReadAsync();
        Assert.Equal("suspended", fetched.GetProperty("status").GetString());
        Assert.Equal("Acme Ltd", fetched.GetProperty("name").GetString());
    }

    [Fact]
    public async Task PutPartner_CreatesSuspendedWhenBodySaysSo()
    {
        var id = ApiFixture.NewPartnerId();

        var (status, body, _) = await api.Admin.PutAsync($"/admin/partners/{id}", Json("{\"status\":\"suspended\"}")).ReadAsync();

        Assert.Equal(201, status);
        Assert.Equal("suspended", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PutPartner_AcceptsEmptyBody()
    {
        var (status, body, _) = await api.Admin.PutAsync($"/admin/partners/{ApiFixture.NewPartnerId()}", null).ReadAsync();

        Assert.Equal(201, status);
        Assert.Equal("active", body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash%2Fx")]
    [InlineData("ümlaut")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234x")]
    public async Task PutPartner_RejectsInvalidIds(string id)
    {
        var (status, body, _) = await api.Admin.PutAsync($"/admin/partners/{Uri.EscapeDataString(id)}", Json("{}")).ReadAsync();

        Assert.Equal(400, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PutPartner_AcceptsLongestValidId()
    {
        var id = "A.b_c-" + new string('9', 58);

        var (status, _, _) = await api.Admin.PutAsync($"/admin/partners/{id}", Json("{}")).ReadAsync();

        Assert.True(status is 200 or 201);
    }

    [Theory]
    [InlineData("{\"status\":\"deleted\"}")]
    [InlineData("{\"status\":1}")]
    [InlineData("{\"name\":[]}")]
    [InlineData("[1,2]")]
    [InlineData("{not json")]
    public async Task PutPartner_RejectsBadBodies(string json)
    {
        var (status, body, _) = await api.Admin.PutAsync($"/admin/partners/{ApiFixture.NewPartnerId()}", Json(json)).ReadAsync();

        Assert.Equal(400, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/keys")]
    [InlineData("/audit")]
    public async Task GetPartner_UnknownIsNotFound(string suffix)
    {
        var (status, body, _) = await api.Admin.GetAsync($"/admin/partners/{ApiFixture.NewPartnerId()}{suffix}").ReadAsync();

        Assert.Equal(404, status);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ListPartners_IncludesRegisteredPartners()
    {
        var partner = await api.CreatePartnerAsync(TestKey.P256());

        var (status, body, _) = await api.Admin.GetAsync("/admin/partners").ReadAsync();

        Assert.Equal(200, status);
        var row = body.GetProperty("partners").EnumerateArray().Single(p => p.GetProperty("id").GetString() == partner);
        Assert.Equal(1, row.GetProperty("activeKeys").GetInt32());
    }

    [Fact]
    public async Task UploadKey_KidIsTheRfc7638Thumbprint()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync();
        var parameters = ((RSA)key.Algorithm).ExportParameters(false);
        // RFC 7638 §3: members in lexicographic order, no whitespace.
        var canonical = $"{{\"e\":\"{Base64UrlEncoder.Encode(parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(parameters.Modulus)}\"}}";
        var expected = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(key.PublicPem)).ReadAsync();

        Assert.Equal(201, status);
        Assert.Equal(expected, body.GetProperty("kid").GetString());
        Assert.Equal("RSA", body.GetProperty("kty").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UploadKey_EcKidIsTheRfc7638Thumbprint()
    {
        var key = TestKey.P256();
        var partner = await api.CreatePartnerAsync();
        var p = ((ECDsa)key.Algorithm).ExportParameters(false);
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64UrlEncoder.Encode(p.Q.X)}\",\"y\":\"{Base64UrlEncoder.Encode(p.Q.Y)}\"}}";

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(key.PublicPem)).ReadAsync();

        Assert.Equal(201, status);
        Assert.Equal(Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), body.GetProperty("kid").GetString());
        Assert.Equal("P-256", body.GetProperty("crv").GetString());
    }

    [Fact]
    public async Task UploadKey_SameKeyAgainInEitherPemFormReturns200()
    {
        var key = SharedKeys.RsaB;
        var partner = await api.CreatePartnerAsync();
        var pkcs1 = ((RSA)key.Algorithm).ExportRSAPublicKeyPem();

        var (first, firstBody, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Text(pkcs1)).ReadAsync();
        var (second, secondBody, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(key.PublicPem)).ReadAsync();
        var (third, thirdBody, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys",
            Json(JsonSerializer.Serialize(new { pem = key.PublicPem }))).ReadAsync();

        Assert.Equal((201, 200, 200), (first, second, third));
        Assert.Equal(firstBody.GetProperty("kid").GetString(), secondBody.GetProperty("kid").GetString());
        Assert.Equal(firstBody.GetProperty("kid").GetString(), thirdBody.GetProperty("kid").GetString());
        var (_, keys, _) = await api.Admin.GetAsync($"/admin/partners/{partner}/keys").ReadAsync();
        Assert.Single(keys.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task UploadKey_AcceptsP384()
    {
        var partner = await api.CreatePartnerAsync();

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(TestKey.P384().PublicPem)).ReadAsync();

        Assert.Equal(201, status);
        Assert.Equal("P-384", body.GetProperty("crv").GetString());
    }

    public static TheoryData<string> PrivateKeys()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TheoryData<string>
        {
            rsa.ExportPkcs8PrivateKeyPem(),
            rsa.ExportRSAPrivateKeyPem(),
            ec.ExportECPrivateKeyPem(),
            rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)),
            rsa.ExportSubjectPublicKeyInfoPem() + "\n" + rsa.ExportPkcs8PrivateKeyPem(),
        };
    }

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public async Task UploadKey_RejectsPrivateKeyMaterialAndStoresNothing(string upload)
    {
        var partner = await api.CreatePartnerAsync();

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(upload)).ReadAsync();
        var (jsonStatus, jsonBody, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys",
            Json(JsonSerializer.Serialize(new { pem = upload }))).ReadAsync();

        Assert.Equal((400, 400), (status, jsonStatus));
        Assert.Equal("private_key_rejected", body.GetProperty("error").GetString());
        Assert.Equal("private_key_rejected", jsonBody.GetProperty("error").GetString());
        Assert.DoesNotContain("MII", body.GetProperty("message").GetString());
        var (_, keys, _) = await api.Admin.GetAsync($"/admin/partners/{partner}/keys").ReadAsync();
        Assert.Empty(keys.GetProperty("keys").EnumerateArray());
        var (_, audit, _) = await api.Admin.GetAsync($"/admin/partners/{partner}/audit").ReadAsync();
        Assert.Empty(audit.GetProperty("entries").EnumerateArray());
    }

    public static TheoryData<string> UnacceptableKeys()
    {
        using var small = RSA.Create(1024);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        return new TheoryData<string>
        {
            small.ExportSubjectPublicKeyInfoPem(),
            p521.ExportSubjectPublicKeyInfoPem(),
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 partner@example",
            "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----",
            "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEga2V5\n-----END CERTIFICATE REQUEST-----",
            "",
        };
    }

    [Theory]
    [MemberData(nameof(UnacceptableKeys))]
    public async Task UploadKey_RejectsWhatIsNotAnAcceptablePublicKey(string upload)
    {
        var partner = await api.CreatePartnerAsync();

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Text(upload)).ReadAsync();

        Assert.Equal(400, status);
        Assert.Equal("invalid_key", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task UploadKey_ToUnknownPartnerIsNotFound()
    {
        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{ApiFixture.NewPartnerId()}/keys", Pem(TestKey.P256().PublicPem)).ReadAsync();

        Assert.Equal(404, status);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UploadKey_RefusesMoreThanFiveActiveKeysButAllowsAfterRevoking()
    {
        var partner = await api.CreatePartnerAsync();
        var kids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            kids.Add(await api.Admin.UploadKeyAsync(partner, TestKey.P256().PublicPem));
        }

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(TestKey.P256().PublicPem)).ReadAsync();
        Assert.Equal(409, status);
        Assert.Equal("too_many_keys", body.GetProperty("error").GetString());

        await api.Admin.DeleteAsync($"/admin/partners/{partner}/keys/{kids[0]}");
        var (after, _, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(TestKey.P256().PublicPem)).ReadAsync();
        Assert.Equal(201, after);
    }

    [Fact]
    public async Task GetKeys_ReturnsJwksWithPublicParametersAndStatus()
    {
        var rsa = SharedKeys.RsaA;
        var ec = TestKey.P256();
        var partner = await api.CreatePartnerAsync(rsa, ec);
        await api.Admin.DeleteAsync($"/admin/partners/{partner}/keys/{rsa.Kid}");

        var (status, body, _) = await api.Admin.GetAsync($"/admin/partners/{partner}/keys").ReadAsync();

        Assert.Equal(200, status);
        var keys = body.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("kid").GetString()!);
        var rsaJwk = keys[rsa.Kid!];
        Assert.Equal("RSA", rsaJwk.GetProperty("kty").GetString());
        Assert.Equal(Base64UrlEncoder.Encode(((RSA)rsa.Algorithm).ExportParameters(false).Modulus), rsaJwk.GetProperty("n").GetString());
        Assert.Equal("AQAB", rsaJwk.GetProperty("e").GetString());
        Assert.Equal("revoked", rsaJwk.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, rsaJwk.GetProperty("revoked").ValueKind);
        var ecJwk = keys[ec.Kid!];
        Assert.Equal("EC", ecJwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", ecJwk.GetProperty("crv").GetString());
        Assert.True(ecJwk.TryGetProperty("x", out _) && ecJwk.TryGetProperty("y", out _));
        Assert.False(ecJwk.TryGetProperty("d", out _));
        Assert.Equal("active", ecJwk.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, ecJwk.GetProperty("revoked").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, ecJwk.GetProperty("created").ValueKind);
    }

    [Fact]
    public async Task RevokeKey_UnknownKidIsNotFound()
    {
        var partner = await api.CreatePartnerAsync(TestKey.P256());

        var (status, body, _) = await api.Admin.DeleteAsync($"/admin/partners/{partner}/keys/nope").ReadAsync();

        Assert.Equal(404, status);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UploadKey_RevokedKeyCannotComeBack()
    {
        var key = TestKey.P256();
        var partner = await api.CreatePartnerAsync(key);
        await api.Admin.DeleteAsync($"/admin/partners/{partner}/keys/{key.Kid}");

        var (status, body, _) = await api.Admin.PostAsync($"/admin/partners/{partner}/keys", Pem(key.PublicPem)).ReadAsync();

        Assert.Equal(409, status);
        Assert.Equal("key_revoked", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AuditTrail_RecordsWhoChangedWhichKeyAndWhen()
    {
        var key = TestKey.P256();
        var partner = await api.CreatePartnerAsync();
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/admin/partners/{partner}/keys") { Content = Pem(key.PublicPem) };
        upload.Headers.Add("X-Admin-Actor", "alice@ops");
        var (_, uploaded, _) = await api.Admin.SendAsync(upload).ReadAsync();
        var kid = uploaded.GetProperty("kid").GetString();
        await api.Admin.DeleteAsync($"/admin/partners/{partner}/keys/{kid}");

        var (status, body, _) = await api.Admin.GetAsync($"/admin/partners/{partner}/audit").ReadAsync();

        Assert.Equal(200, status);
        var entries = body.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["added", "revoked"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(kid, e.GetProperty("kid").GetString()));
        Assert.All(entries, e => Assert.Equal(partner, e.GetProperty("partner").GetString()));
        Assert.Equal("alice@ops", entries[0].GetProperty("actor").GetString());
        Assert.Equal("admin", entries[1].GetProperty("actor").GetString());
        Assert.Equal(api.Clock.GetUtcNow().ToUnixTimeSeconds(), entries[0].GetProperty("at").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    private static StringContent Pem(string pem) => new(pem, Encoding.UTF8, "application/x-pem-file");

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
