using System.Diagnostics.Metrics;
using System.Reflection;
using System.Security.Cryptography;
using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using JustGold.Api.Keys;
using JustGold.Api.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Benchmarks;

/// <summary>A partner key pair as a partner would hold it, plus the stored public key the product keeps.</summary>
public sealed class BenchKey
{
    private BenchKey(AsymmetricAlgorithm algorithm, PartnerKey stored)
    {
        Algorithm = algorithm;
        Stored = stored;
    }

    public AsymmetricAlgorithm Algorithm { get; }

    public PartnerKey Stored { get; }

    /// <summary>RSA 2048 for RS*/PS*, EC P-256 for ES256; the stored key goes through the product's PEM parser.</summary>
    public static BenchKey Create(string alg)
    {
        AsymmetricAlgorithm algorithm = alg == "ES256" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var reading = PublicKeyParser.Read(algorithm.ExportSubjectPublicKeyInfoPem(), DateTimeOffset.UtcNow);
        return new BenchKey(algorithm, reading.Key ?? throw new InvalidOperationException(reading.Problem));
    }

    /// <summary>A token as a partner's stock library makes it (JsonWebTokenHandler), with a fresh jti.</summary>
    public string Sign(string partnerId, string alg, bool withKid) => SignWithKid(partnerId, alg, withKid ? Stored.Kid : null);

    /// <summary>The same, naming any kid (a forger names one of the partner's).</summary>
    public string SignWithKid(string partnerId, string alg, string? kid)
    {
        AsymmetricSecurityKey key = Algorithm is RSA rsa ? new RsaSecurityKey(rsa) : new ECDsaSecurityKey((ECDsa)Algorithm);
        key.KeyId = kid;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = partnerId,
            Audience = "justgold-api",
            IssuedAt = now,
            Expires = now.AddMinutes(50),
            SigningCredentials = new SigningCredentials(key, alg),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "bench-client",
                ["jti"] = Guid.NewGuid().ToString(),
            },
        });
    }
}

/// <summary>
/// The product's <see cref="PartnerTokenAuthenticator"/> wired to in-memory partner grains, so a
/// benchmark measures the verification path on the API node without an Orleans round trip.
/// The fake grain accepts every confirmation: the replay step is measured on its own.
/// </summary>
internal static class BenchAuthenticator
{
    public static PartnerTokenAuthenticator Create(IReadOnlyDictionary<string, PartnerKeySet> partners, bool answersLater = false)
    {
        var grains = GrainFactoryProxy.Create(partners, answersLater);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new PartnerAuthMetrics(meters);
        var sender = new ConfirmationSender(new GatewayLossSignal(), Microsoft.Extensions.Options.Options.Create(new ClusterSettings()), TimeProvider.System, metrics, NullLogger<ConfirmationSender>.Instance);
        return new PartnerTokenAuthenticator(
            new PartnerKeyCache(grains),
            new ConfirmationBatcher(grains, sender),
            Microsoft.Extensions.Options.Options.Create(new PartnerAuthOptions()),
            TimeProvider.System,
            metrics,
            NullLogger<PartnerTokenAuthenticator>.Instance);
    }
}

/// <summary>An <see cref="IGrainFactory"/> that only knows <c>GetGrain&lt;IPartnerGrain&gt;(string)</c> (called once per partner, not per request).</summary>
public class GrainFactoryProxy : DispatchProxy
{
    private IReadOnlyDictionary<string, PartnerKeySet> _partners = new Dictionary<string, PartnerKeySet>();
    private bool _answersLater;

    public static IGrainFactory Create(IReadOnlyDictionary<string, PartnerKeySet> partners, bool answersLater)
    {
        var factory = DispatchProxy.Create<IGrainFactory, GrainFactoryProxy>();
        ((GrainFactoryProxy)(object)factory)._partners = partners;
        ((GrainFactoryProxy)(object)factory)._answersLater = answersLater;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true }
            && targetMethod.GetGenericArguments()[0] == typeof(IPartnerGrain)
            && args is [string partnerId, ..])
        {
            return new BenchPartnerGrain(_partners.GetValueOrDefault(partnerId) ?? PartnerKeySet.Unregistered, _answersLater);
        }

        throw new NotSupportedException($"The benchmark grain factory does not support {targetMethod}.");
    }
}

/// <summary>
/// A partner grain that hands out a fixed key set and accepts every confirmation. With
/// <c>answersLater</c> a confirmation completes after a yield, on another thread, as a real grain
/// call does, so the node's continuations, its confirmation timeout and its state machines are
/// counted; the yield's own box is measured apart (<see cref="VerificationBenchmarks.StandInConfirm"/>).
/// </summary>
public sealed class BenchPartnerGrain(PartnerKeySet keySet, bool answersLater) : IPartnerGrain
{
    private static readonly Task<ConfirmationVerdict> Accepted = Task.FromResult(ConfirmationVerdict.Accepted);
    private readonly Task<PartnerKeySet> _keySet = Task.FromResult(keySet);

    public Task<PartnerKeySet> GetKeySetAsync() => _keySet;

    public Task<ConfirmationVerdict> ConfirmAsync(TokenConfirmation confirmation) => answersLater ? LaterAsync() : Accepted;

    public Task<ConfirmationVerdict[]> ConfirmBatchAsync(TokenConfirmation[] confirmations) =>
        Task.FromResult(Enumerable.Repeat(ConfirmationVerdict.Accepted, confirmations.Length).ToArray());

    public Task<PartnerUpsertResult> UpsertAsync(PartnerUpdate update) => throw new NotSupportedException();

    public Task<PartnerDetails?> GetAsync() => throw new NotSupportedException();

    public Task<KeyChangeResult> AddKeyAsync(PartnerKey key, string actor) => throw new NotSupportedException();

    public Task<KeyChangeResult> RevokeKeyAsync(string kid, string actor) => throw new NotSupportedException();

    private static async Task<ConfirmationVerdict> LaterAsync()
    {
        await Task.Yield();
        return ConfirmationVerdict.Accepted;
    }
}
