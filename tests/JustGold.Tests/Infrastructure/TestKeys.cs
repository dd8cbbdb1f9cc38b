using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Tests.Infrastructure;

/// <summary>A partner's key pair as a test holds it: the private half signs, the PEM is uploaded.</summary>
public sealed class TestKey
{
    private TestKey(AsymmetricAlgorithm algorithm, SecurityKey signingKey, string publicPem, string defaultAlg)
    {
        Algorithm = algorithm;
        SigningKey = signingKey;
        PublicPem = publicPem;
        DefaultAlg = defaultAlg;
    }

    public AsymmetricAlgorithm Algorithm { get; }

    /// <summary>The private key, for signing.</summary>
    public SecurityKey SigningKey { get; }

    /// <summary>SubjectPublicKeyInfo PEM (BEGIN PUBLIC KEY).</summary>
    public string PublicPem { get; }

    public string DefaultAlg { get; }

    /// <summary>The kid the service assigns after upload; set by the test that uploads it.</summary>
    public string? Kid { get; set; }

    public static TestKey Rsa(int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        return new TestKey(rsa, new RsaSecurityKey(rsa), rsa.ExportSubjectPublicKeyInfoPem(), SecurityAlgorithms.RsaSha256);
    }

    public static TestKey Ec(ECCurve curve, string alg)
    {
        var ecdsa = ECDsa.Create(curve);
        return new TestKey(ecdsa, new ECDsaSecurityKey(ecdsa), ecdsa.ExportSubjectPublicKeyInfoPem(), alg);
    }

    public static TestKey P256() => Ec(ECCurve.NamedCurves.nistP256, SecurityAlgorithms.EcdsaSha256);

    public static TestKey P384() => Ec(ECCurve.NamedCurves.nistP384, SecurityAlgorithms.EcdsaSha384);

    /// <summary>Another holder of the same key material, with its own kid.</summary>
    public TestKey Copy() => new(Algorithm, SigningKey, PublicPem, DefaultAlg);
}

/// <summary>Keys generated once per test run; RSA generation is slow and tests may share key material across partners.</summary>
public static class SharedKeys
{
    private static readonly Lazy<TestKey[]> RsaKeys = new(() => [.. Enumerable.Range(0, 3).Select(_ => TestKey.Rsa())]);

    public static TestKey RsaA => Fresh(RsaKeys.Value[0]);

    public static TestKey RsaB => Fresh(RsaKeys.Value[1]);

    public static TestKey RsaC => Fresh(RsaKeys.Value[2]);

    // A new holder each time so one test's kid never leaks into another's.
    private static TestKey Fresh(TestKey key) => key.Copy();
}
