using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using JustGold.Grains.Contracts;
using JustGold.Api.Authentication;
using Microsoft.IdentityModel.Tokens;
using TokenReader = JustGold.Api.Authentication.TokenReader;

namespace JustGold.Benchmarks;

/// <summary>
/// The verification path on the API node, per algorithm: form checks alone, the signature check
/// alone (the product's key objects and provider calls), the whole authenticator (key cache, signature,
/// claims, an in-memory grain confirmation answered at once or later), and the bare .NET crypto call as the floor.
/// </summary>
public class VerificationBenchmarks
{
    private const string PartnerId = "bench-partner";
    private const string Audience = "justgold-api";

    private string _raw = "";
    private string _header = "";
    private ParsedToken _parsed = null!;
    private VerificationKey[] _keys = [];
    private PartnerTokenAuthenticator _authenticator = null!;
    private PartnerTokenAuthenticator _answeredLater = null!;
    private IPartnerGrain _laterGrain = null!;
    private TokenConfirmation _confirmation = null!;
    private AsymmetricAlgorithm _floorKey = null!;
    private byte[] _input = [];
    private byte[] _signature = [];

    [Params("RS256", "PS256", "ES256")]
    public string Alg { get; set; } = "RS256";

    [GlobalSetup]
    public void Setup()
    {
        var key = BenchKey.Create(Alg);
        _raw = key.Sign(PartnerId, Alg, withKid: true);
        _header = "Bearer " + _raw;
        var reading = TokenReader.Read(_raw.AsMemory(), Audience);
        _parsed = reading.Succeeded ? reading.Value : throw new InvalidOperationException(reading.Problem);
        _keys = [new VerificationKey(key.Stored)];
        var keySet = new PartnerKeySet(true, PartnerStatus.Active, [key.Stored]);
        _authenticator = BenchAuthenticator.Create(new Dictionary<string, PartnerKeySet> { [PartnerId] = keySet });
        _answeredLater = BenchAuthenticator.Create(new Dictionary<string, PartnerKeySet> { [PartnerId] = keySet }, answersLater: true);
        foreach (var authenticator in new[] { _authenticator, _answeredLater })
        {
            var result = authenticator.AuthenticateAsync(_header).GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Setup token refused: {result.Failure} {result.Message}");
            }
        }

        _laterGrain = new BenchPartnerGrain(keySet, answersLater: true);
        _confirmation = new TokenConfirmation(key.Stored.Kid, "bench-jti", 0);
        _floorKey = Alg == "ES256" ? ECDsa.Create() : RSA.Create();
        _floorKey.ImportSubjectPublicKeyInfo(key.Stored.SubjectPublicKeyInfo, out _);
        _input = Encoding.ASCII.GetBytes(_raw[.._raw.LastIndexOf('.')]);
        _signature = Base64UrlEncoder.DecodeBytes(_raw[(_raw.LastIndexOf('.') + 1)..]);
    }

    /// <summary>TokenReader.Read: shape, JSON, header and claim checks; no key touched.</summary>
    [Benchmark]
    public object? ReadToken() => TokenReader.Read(_raw.AsMemory(), Audience).Value;

    /// <summary>The signature check as PartnerTokenAuthenticator does it: <see cref="SignatureVerifier"/> with the product's key object.</summary>
    [Benchmark]
    public bool VerifySignature() => SignatureVerifier.FindVerifyingKey(_parsed, _keys) is not null;

    /// <summary>The whole API-node path: header → form → key cache → signature → claims → (in-memory) confirm → result.</summary>
    [Benchmark]
    public Task Authenticate() => _authenticator.AuthenticateAsync(_header);

    /// <summary>
    /// The same with the grain answering later, on another thread, as every real grain call does: the node's
    /// awaits complete asynchronously and its confirmation timeout is armed. Its figure includes the stand-in's
    /// own yield (<see cref="StandInConfirm"/>), which a real call replaces with Orleans' messaging.
    /// </summary>
    [Benchmark]
    public Task AuthenticateAnsweredLater() => _answeredLater.AuthenticateAsync(_header);

    /// <summary>What the stand-in grain itself allocates to answer later: subtract it from <see cref="AuthenticateAnsweredLater"/>.</summary>
    [Benchmark]
    public Task<ConfirmationVerdict> StandInConfirm() => _laterGrain.ConfirmAsync(_confirmation);

    /// <summary>The floor: one bare .NET verify of the same bytes, no IdentityModel.</summary>
    [Benchmark]
    public bool CryptoFloor() => _floorKey switch
    {
        RSA rsa => rsa.VerifyData(_input, _signature, HashAlgorithmName.SHA256,
            Alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.VerifyData(_input, _signature, HashAlgorithmName.SHA256),
        _ => false,
    };
}

/// <summary>
/// Tokens with and without kid when the partner holds five active RSA keys and signed with the last one;
/// and a forgery (signed by a key the partner never uploaded, the last key's kid when there is one), which
/// is checked against this node's copy and, only if the grain's set differs, once more.
/// </summary>
public class KeySelectionBenchmarks
{
    private const string PartnerId = "bench-five-keys";

    private string _header = "";
    private string _forged = "";
    private PartnerTokenAuthenticator _authenticator = null!;

    [Params(true, false)]
    public bool Kid { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => BenchKey.Create("RS256")).ToArray();
        _header = "Bearer " + keys[^1].Sign(PartnerId, "RS256", Kid);
        _forged = "Bearer " + BenchKey.Create("RS256").SignWithKid(PartnerId, "RS256", Kid ? keys[^1].Stored.Kid : null);

        var keySet = new PartnerKeySet(true, PartnerStatus.Active, [.. keys.Select(k => k.Stored)]);
        _authenticator = BenchAuthenticator.Create(new Dictionary<string, PartnerKeySet> { [PartnerId] = keySet });
        var result = _authenticator.AuthenticateAsync(_header).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Setup token refused: {result.Failure} {result.Message}");
        }
    }

    [Benchmark]
    public Task AuthenticateRs256FiveKeys() => _authenticator.AuthenticateAsync(_header);

    [Benchmark]
    public async Task<bool> RefuseForgedRs256FiveKeys() =>
        (await _authenticator.AuthenticateAsync(_forged)).Failure == TokenFailure.InvalidSignature
            ? true
            : throw new InvalidOperationException("The forged token was not refused as invalid_signature.");
}
