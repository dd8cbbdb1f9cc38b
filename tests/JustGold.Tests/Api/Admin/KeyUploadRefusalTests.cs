using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Admin;

/// <summary>
/// Issue 10, items 5 and 6, over HTTP: private key material anywhere in an upload, however labelled and in
/// any JSON member, is refused with nothing stored, audited or logged; RSA keys that could never verify or
/// would make every check slow are refused with a message a partner can act on. The API logs its own
/// categories at Debug (<see cref="LoggedApi"/>), so "nothing logged" covers the per-request lines too.
/// </summary>
public sealed class KeyUploadRefusalTests : IClassFixture<LoggedApi>
{
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly LoggedApi _api;

    public KeyUploadRefusalTests(LoggedApi api) => _api = api;

    private static string PublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>(what the case is, content type, body, a piece of the private key that must appear nowhere).</summary>
    public static TheoryData<string, string, string, string> PrivateUploads()
    {
        var pkcs8 = Rsa.ExportPkcs8PrivateKey();
        var pkcs1 = Rsa.ExportRSAPrivateKey();
        var sec1 = Ec.ExportECPrivateKey();
        var encrypted = Rsa.ExportEncryptedPkcs8PrivateKey("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        var ed25519 = KeyDer.Ed25519Pkcs8();
        string Json(object body) => JsonSerializer.Serialize(body);
        string Secret(byte[] der) => Convert.ToBase64String(der)[^48..];
        return new TheoryData<string, string, string, string>
        {
            { "JSON: a private key PEM in another member", "application/json", Json(new { pem = PublicPem, note = Rsa.ExportPkcs8PrivateKeyPem() }), Secret(pkcs8) },
            { "JSON: deep in a nested member", "application/json", Json(new { pem = PublicPem, meta = new { keys = new[] { "x", Rsa.ExportRSAPrivateKeyPem() } } }), Secret(pkcs1) },
            { "JSON: the label escaped", "application/json", Json(new { pem = PublicPem, note = Rsa.ExportPkcs8PrivateKeyPem() }).Replace("PRIVATE", "\\u0050RIVATE", StringComparison.Ordinal), Secret(pkcs8) },
            { "JSON: bare base64 of a PKCS#8 key", "application/json", Json(new { pem = PublicPem, backup = Convert.ToBase64String(pkcs8) }), Secret(pkcs8) },
            { "JSON: PKCS#8 under a public label as the pem", "application/json", Json(new { pem = KeyDer.Pem("PUBLIC KEY", pkcs8) }), Secret(pkcs8) },
            { "PKCS#8 under BEGIN PUBLIC KEY", "application/x-pem-file", KeyDer.Pem("PUBLIC KEY", pkcs8), Secret(pkcs8) },
            { "PKCS#1 private under BEGIN RSA PUBLIC KEY", "application/x-pem-file", KeyDer.Pem("RSA PUBLIC KEY", pkcs1), Secret(pkcs1) },
            { "SEC1 EC private under BEGIN PUBLIC KEY", "text/plain", KeyDer.Pem("PUBLIC KEY", sec1), Secret(sec1) },
            { "encrypted PKCS#8 under BEGIN PUBLIC KEY", "text/plain", KeyDer.Pem("PUBLIC KEY", encrypted), Secret(encrypted) },
            { "Ed25519 PKCS#8 under BEGIN PUBLIC KEY", "text/plain", KeyDer.Pem("PUBLIC KEY", ed25519), Secret(ed25519) },
            { "a public key, then PKCS#8 under a made-up label", "text/plain", PublicPem + "\n" + KeyDer.Pem("KEY", pkcs8), Secret(pkcs8) },
        };
    }

    [Theory]
    [MemberData(nameof(PrivateUploads))]
    public async Task UploadKey_RefusesPrivateKeyMaterialAnywhereWithNothingStoredAuditedOrLogged(string what, string contentType, string upload, string secret)
    {
        var partner = await _api.CreatePartnerAsync();

        var (status, body, _) = await _api.Admin.PostAsync($"/admin/partners/{partner}/keys", new StringContent(upload, Encoding.UTF8, contentType)).ReadAsync();

        Assert.True(status == 400, $"{what}: {status} {body}");
        Assert.Equal("private_key_rejected", body.GetProperty("error").GetString());
        var (_, keys, _) = await _api.Admin.GetAsync($"/admin/partners/{partner}/keys").ReadAsync();
        Assert.Empty(keys.GetProperty("keys").EnumerateArray());
        var (_, audit, _) = await _api.Admin.GetAsync($"/admin/partners/{partner}/audit").ReadAsync();
        Assert.Empty(audit.GetProperty("entries").EnumerateArray());
        Assert.DoesNotContain(_api.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadKey_StillTakesAPublicKeyWithHarmlessJsonMembers()
    {
        var partner = await _api.CreatePartnerAsync();
        var upload = JsonSerializer.Serialize(new { pem = PublicPem, note = "rotated 2026-12; the private half stays with us", spki = Convert.ToBase64String(Rsa.ExportSubjectPublicKeyInfo()) });

        var (status, body, _) = await _api.Admin.PostAsync($"/admin/partners/{partner}/keys", new StringContent(upload, Encoding.UTF8, "application/json")).ReadAsync();

        Assert.True(status == 201, body.ToString());
    }

    [Theory]
    [InlineData("{\"pem\":\"\\ud800\"}")]
    [InlineData("{\"pem\":\"-----BEGIN PUBLIC KEY-----\\udc00\"}")]
    [InlineData("{\"\\ud800\":1,\"pem\":1}")]
    public async Task UploadKey_RefusesJsonThatIsNoTextAsInvalidKeyNot503(string upload)
    {
        var partner = await _api.CreatePartnerAsync();

        var (status, body, _) = await _api.Admin.PostAsync($"/admin/partners/{partner}/keys", new StringContent(upload, Encoding.UTF8, "application/json")).ReadAsync();

        Assert.True(status == 400, body.ToString());
        Assert.Equal("invalid_key", body.GetProperty("error").GetString());
    }

    public static TheoryData<string, string, string> UnusableRsaKeys()
    {
        var modulus = KeyDer.RandomModulus(2048);
        string Spki(BigInteger n, BigInteger e) => KeyDer.Pem("PUBLIC KEY", KeyDer.RsaSubjectPublicKeyInfo(n, e));
        return new TheoryData<string, string, string>
        {
            { "4097-bit modulus", Spki(KeyDer.RandomModulus(4097), 65537), "4096" },
            { "16384-bit modulus", Spki(KeyDer.RandomModulus(16384), 65537), "4096" },
            { "16384-bit modulus, PKCS#1", KeyDer.Pem("RSA PUBLIC KEY", KeyDer.RsaPublicKey(KeyDer.RandomModulus(16384), 65537)), "4096" },
            { "exponent 1", Spki(modulus, 1), "exponent" },
            { "exponent 2", Spki(modulus, 2), "exponent" },
            { "exponent 65536", Spki(modulus, 65536), "exponent" },
            { "exponent 2^32", Spki(modulus, BigInteger.One << 32), "exponent" },
            { "exponent 2^32 + 1", Spki(modulus, (BigInteger.One << 32) + 1), "exponent" },
            { "2049-bit exponent", Spki(modulus, KeyDer.RandomModulus(2049)), "exponent" },
            { "exponent 4, PKCS#1", KeyDer.Pem("RSA PUBLIC KEY", KeyDer.RsaPublicKey(modulus, 4)), "exponent" },
        };
    }

    [Theory]
    [MemberData(nameof(UnusableRsaKeys))]
    public async Task UploadKey_RefusesRsaKeysThatCouldNeverVerifyOrWouldMakeChecksSlow(string what, string pem, string messageNames)
    {
        var partner = await _api.CreatePartnerAsync();

        var (status, body, _) = await _api.Admin.PostAsync($"/admin/partners/{partner}/keys", new StringContent(pem, Encoding.UTF8, "application/x-pem-file")).ReadAsync();

        Assert.True(status == 400, $"{what}: {status} {body}");
        Assert.Equal("invalid_key", body.GetProperty("error").GetString());
        Assert.Contains(messageNames, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, keys, _) = await _api.Admin.GetAsync($"/admin/partners/{partner}/keys").ReadAsync();
        Assert.Empty(keys.GetProperty("keys").EnumerateArray());
    }

    [Theory]
    [InlineData(4096, 65537)]
    [InlineData(3072, 3)]
    [InlineData(2048, 4294967295)]
    public async Task UploadKey_AcceptsRsaUpTo4096BitsWithAnOddExponentBelow2To32(int bits, long exponent)
    {
        var partner = await _api.CreatePartnerAsync();
        var pem = KeyDer.Pem("PUBLIC KEY", KeyDer.RsaSubjectPublicKeyInfo(KeyDer.RandomModulus(bits), exponent));

        var (status, body, _) = await _api.Admin.PostAsync($"/admin/partners/{partner}/keys", new StringContent(pem, Encoding.UTF8, "application/x-pem-file")).ReadAsync();

        Assert.True(status == 201, body.ToString());
        Assert.Equal(bits, Convert.FromBase64String(Base64Url(body.GetProperty("n").GetString()!)).Length * 8);
    }

    private static string Base64Url(string value) => value.Replace('-', '+').Replace('_', '/').PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '=');
}
