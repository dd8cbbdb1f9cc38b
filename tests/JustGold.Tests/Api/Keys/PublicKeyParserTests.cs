using System.Security.Cryptography;
using JustGold.Api.Admin;
using JustGold.Api.Keys;

namespace JustGold.Tests.Api.Keys;

/// <summary>
/// Key uploads read on their own, without HTTP or a cluster: which public keys are accepted,
/// what they are normalized to, and which uploads are refused with which code. The HTTP tests
/// (AdminApiTests) cover the same rules end to end.
/// </summary>
public sealed class PublicKeyParserTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Fact]
    public void Read_RsaInEitherPemFormIsOneKeyStoredAsSubjectPublicKeyInfo()
    {
        using var rsa = RSA.Create(2048);

        var spki = PublicKeyParser.Read(rsa.ExportSubjectPublicKeyInfoPem(), Now);
        var pkcs1 = PublicKeyParser.Read(rsa.ExportRSAPublicKeyPem(), Now);

        Assert.True(spki.Succeeded, spki.Problem);
        Assert.True(pkcs1.Succeeded, pkcs1.Problem);
        Assert.Equal(spki.Key.Kid, pkcs1.Key.Kid);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), pkcs1.Key.SubjectPublicKeyInfo);
        Assert.Equal("RSA", spki.Key.KeyType);
        Assert.Null(spki.Key.Curve);
        Assert.Equal(Now, spki.Key.Created);
    }

    [Theory]
    [InlineData("nistP256", "P-256")]
    [InlineData("nistP384", "P-384")]
    public void Read_AcceptsEcKeysOnTheTwoCurves(string curve, string expected)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));

        var result = PublicKeyParser.Read(ecdsa.ExportSubjectPublicKeyInfoPem(), Now);

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal("EC", result.Key.KeyType);
        Assert.Equal(expected, result.Key.Curve);
    }

    [Fact]
    public void Read_RefusesShortRsaAndOtherCurvesAsInvalidKey()
    {
        using var small = RSA.Create(1024);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);

        var shortRsa = PublicKeyParser.Read(small.ExportSubjectPublicKeyInfoPem(), Now);
        var otherCurve = PublicKeyParser.Read(p521.ExportSubjectPublicKeyInfoPem(), Now);

        Assert.Equal((KeyUploadFailure.RsaTooShort, "invalid_key"), (shortRsa.Failure, shortRsa.ErrorCode));
        Assert.Contains("2048", shortRsa.Problem, StringComparison.Ordinal);
        Assert.Equal((KeyUploadFailure.UnsupportedCurve, "invalid_key"), (otherCurve.Failure, otherCurve.ErrorCode));
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host")]
    public void Read_RefusesWhatIsNotAPublicKeyPem(string upload)
    {
        var result = PublicKeyParser.Read(upload, Now);

        Assert.False(result.Succeeded);
        Assert.Equal("invalid_key", result.ErrorCode);
        Assert.NotEqual("", result.Problem);
    }

    [Fact]
    public void Read_RefusesTwoPemBlocks()
    {
        using var a = RSA.Create(2048);
        using var b = RSA.Create(2048);

        var result = PublicKeyParser.Read(a.ExportSubjectPublicKeyInfoPem() + "\n" + b.ExportSubjectPublicKeyInfoPem(), Now);

        Assert.Equal(KeyUploadFailure.NotPem, result.Failure);
    }

    [Fact]
    public void UploadReader_RefusesPrivateKeyInAnyFormBeforeParsing()
    {
        using var rsa = RSA.Create(2048);
        var pkcs8 = rsa.ExportPkcs8PrivateKeyPem();
        var json = $"{{\"pem\":{System.Text.Json.JsonSerializer.Serialize(rsa.ExportSubjectPublicKeyInfoPem())},\"note\":{System.Text.Json.JsonSerializer.Serialize(pkcs8)}}}";

        foreach (var (contentType, body) in new[] { ("text/plain", pkcs8), ("application/json", json), ("application/json", "{ broken " + pkcs8) })
        {
            var result = KeyUploadReader.Read(contentType, body, Now);

            Assert.Equal(KeyUploadFailure.PrivateKey, result.Failure);
            Assert.Equal("private_key_rejected", result.ErrorCode);
            Assert.DoesNotContain("MII", result.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UploadReader_TakesThePemMemberOfAJsonBody()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = $"{{\"pem\":{System.Text.Json.JsonSerializer.Serialize(ecdsa.ExportSubjectPublicKeyInfoPem())}}}";

        var result = KeyUploadReader.Read("application/json", body, Now);
        var withoutPem = KeyUploadReader.Read("application/json", "{\"key\":\"x\"}", Now);

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal(KeyUploadFailure.NotPem, withoutPem.Failure);
    }
}
