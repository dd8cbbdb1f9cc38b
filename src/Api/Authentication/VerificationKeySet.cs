using JustGold.Grains.Contracts;

namespace JustGold.Api.Authentication;

/// <summary>The verifiable form of a partner's key set.</summary>
internal sealed class VerificationKeySet
{
    private VerificationKeySet(PartnerKeySet source, IReadOnlyList<VerificationKey> keys, bool fresh)
    {
        Source = source;
        Keys = keys;
        Fresh = fresh;
    }

    public PartnerKeySet Source { get; }

    public IReadOnlyList<VerificationKey> Keys { get; }

    /// <summary>True when just fetched from the grain, false when it came from this node's cache.</summary>
    public bool Fresh { get; }

    public bool CanAuthenticate => Source.CanAuthenticate;

    public static VerificationKeySet Build(PartnerKeySet source) =>
        new(source, [.. source.ActiveKeys.Select(k => new VerificationKey(k))], fresh: true);

    public VerificationKeySet WithFresh(bool fresh) => new(Source, Keys, fresh);

    /// <summary>The same built keys and status: <see cref="PartnerKeyCache"/> reuses them when the grain's set did not change.</summary>
    public bool HasSameKeysAs(VerificationKeySet other) => ReferenceEquals(Keys, other.Keys) && CanAuthenticate == other.CanAuthenticate;
}
