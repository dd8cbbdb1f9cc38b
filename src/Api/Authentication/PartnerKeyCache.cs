using System.Collections.Concurrent;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Authentication;

/// <summary>
/// This node's copy of active partners' keys, so signatures are checked in parallel without
/// a grain call first. It may be stale: the grain's confirmation has the final say on keys
/// and status, and a failure is only reported once the grain's current set is known; it is
/// checked again only when that set differs from the copy it failed on.
/// Only partners that can authenticate are kept, so unknown issuers never grow it.
/// </summary>
internal sealed class PartnerKeyCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, VerificationKeySet> _cached = new(StringComparer.Ordinal);

    public async ValueTask<VerificationKeySet> GetAsync(string partnerId)
    {
        if (_cached.TryGetValue(partnerId, out var cached))
        {
            return cached;
        }

        return await FetchAsync(partnerId);
    }

    /// <summary>Asks the partner's grain for its current keys and remembers them if the partner is active.</summary>
    public async ValueTask<VerificationKeySet> FetchAsync(string partnerId)
    {
        var keySet = await grains.GetGrain<IPartnerGrain>(partnerId).GetKeySetAsync();
        if (!keySet.CanAuthenticate)
        {
            _cached.TryRemove(partnerId, out _);
            return VerificationKeySet.Build(keySet);
        }

        // Reuse built keys when nothing changed: building an RSA key costs more than a verify.
        if (_cached.TryGetValue(partnerId, out var previous) && SameKeys(previous.Source, keySet))
        {
            return previous.WithFresh(true);
        }

        var fresh = VerificationKeySet.Build(keySet);
        _cached[partnerId] = fresh.WithFresh(false);
        return fresh;
    }

    public void Forget(string partnerId) => _cached.TryRemove(partnerId, out _);

    private static bool SameKeys(PartnerKeySet a, PartnerKeySet b) =>
        a.Status == b.Status && a.ActiveKeys.Select(k => k.Kid).SequenceEqual(b.ActiveKeys.Select(k => k.Kid));
}
