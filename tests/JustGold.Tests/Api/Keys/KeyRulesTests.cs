using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using JustGold.Api.Keys;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Keys;

/// <summary>The private-key check and the RSA size and exponent rules on their own, without HTTP or a cluster.</summary>
public sealed class KeyRulesTests
{
    [Fact]
    public void PrivateKeyMaterial_FindsPrivateDerUnderAnyLabelAndInAnyJsonString()
    {
        using var rsa = RSA.Create(2048);
        var pkcs8 = rsa.ExportPkcs8PrivateKey();

        Assert.True(PrivateKeyMaterial.IsPresentIn(KeyDer.Pem("PUBLIC KEY", pkcs8)));
        Assert.True(PrivateKeyMaterial.IsPresentIn(KeyDer.Pem("CERTIFICATE", rsa.ExportRSAPrivateKey())));
        using var k1 = ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1"));
        Assert.True(PrivateKeyMaterial.IsPresentIn(KeyDer.Pem("PUBLIC KEY", k1.ExportECPrivateKey())));
        Assert.True(PrivateKeyMaterial.IsPresentIn(JsonSerializer.Serialize(new { a = new[] { new { b = Convert.ToBase64String(pkcs8) } } })));
        Assert.True(PrivateKeyMaterial.IsPresentIn(JsonSerializer.Serialize(new Dictionary<string, int> { [rsa.ExportPkcs8PrivateKeyPem()] = 1 })));
    }

    [Fact]
    public void PrivateKeyMaterial_LeavesPublicKeysAndCertificatesAlone()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", ec, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(PrivateKeyMaterial.IsPresentIn(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.False(PrivateKeyMaterial.IsPresentIn(rsa.ExportRSAPublicKeyPem()));
        Assert.False(PrivateKeyMaterial.IsPresentIn(ec.ExportSubjectPublicKeyInfoPem()));
        Assert.False(PrivateKeyMaterial.IsPresentIn(certificate.ExportCertificatePem()));
        Assert.False(PrivateKeyMaterial.IsPresentIn(JsonSerializer.Serialize(new { pem = rsa.ExportSubjectPublicKeyInfoPem(), der = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()) })));
    }

    [Theory]
    [InlineData(2047, 65537, "RsaTooShort")]
    [InlineData(4097, 65537, "RsaTooLong")]
    [InlineData(2048, 1, "RsaExponent")]
    [InlineData(2048, 2, "RsaExponent")]
    [InlineData(2048, 0, "RsaExponent")]
    [InlineData(2048, -3, "RsaExponent")]
    [InlineData(2048, 4294967296, "RsaExponent")]
    [InlineData(2048, 4294967297, "RsaExponent")]
    [InlineData(2048, 3, "None")]
    [InlineData(2048, 65537, "None")]
    [InlineData(4096, 4294967295, "None")]
    public void RsaKeyRules_SizeFrom2048To4096AndAnOddExponentFrom3Below2To32(int bits, long exponent, string expected)
    {
        var refused = RsaKeyRules.Check(KeyDer.RsaPublicKey(KeyDer.RandomModulus(bits), new BigInteger(exponent)));

        Assert.Equal(expected, (refused?.Failure ?? KeyUploadFailure.None).ToString());
    }
}
