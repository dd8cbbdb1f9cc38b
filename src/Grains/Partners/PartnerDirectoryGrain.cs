using JustGold.Grains.Contracts;
using JustGold.Grains.Storage;
using Orleans.Concurrency;

namespace JustGold.Grains.Partners;

/// <summary>Reads across partners straight from storage; stateless, so every silo answers locally.</summary>
[StatelessWorker]
internal sealed class PartnerDirectoryGrain(IPartnerStore store) : Grain, IPartnerDirectoryGrain
{
    public Task<IReadOnlyList<PartnerSummary>> ListAsync() => store.ListPartnersAsync(CancellationToken.None);

    public Task<IReadOnlyList<KeyAuditEntry>> GetAuditTrailAsync(string partnerId) =>
        store.LoadAuditTrailAsync(partnerId, CancellationToken.None);

    public Task CheckStorageAsync() => store.CheckAsync(CancellationToken.None);
}
