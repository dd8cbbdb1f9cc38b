using System.Collections.Concurrent;

namespace JustGold.Grains.Partners;

/// <summary>
/// The partner grains active on this silo, so that <see cref="Hosting.PartnerRebalancer"/> can
/// hand some of them to another silo. A grain enters once it has loaded and leaves when it
/// deactivates, for whatever reason.
/// </summary>
internal sealed class LocalPartnerGrains
{
    private readonly ConcurrentDictionary<GrainId, IGrainContext> _active = new();

    public int Count => _active.Count;

    public void Add(IGrainContext grain) => _active[grain.GrainId] = grain;

    public void Remove(IGrainContext grain) => _active.TryRemove(KeyValuePair.Create(grain.GrainId, grain));

    /// <summary>Up to <paramref name="count"/> of them, in no particular order.</summary>
    public IReadOnlyList<IGrainContext> Take(int count) => _active.Values.Take(count).ToList();
}
