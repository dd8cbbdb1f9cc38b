using JustGold.Grains.Contracts;

namespace JustGold.Grains.Storage;

/// <summary>A partner's stored profile and keys.</summary>
public sealed record StoredPartner(
    string PartnerId,
    string Name,
    PartnerStatus Status,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    IReadOnlyList<PartnerKey> Keys);

/// <summary>The durable home of partners, keys and the key audit trail.</summary>
public interface IPartnerStore
{
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    Task CheckAsync(CancellationToken cancellationToken);

    Task<StoredPartner?> LoadPartnerAsync(string partnerId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PartnerSummary>> ListPartnersAsync(CancellationToken cancellationToken);

    Task SavePartnerAsync(StoredPartner partner, CancellationToken cancellationToken);

    /// <summary>Writes a key (new or revoked) together with its audit entry, in one transaction.</summary>
    Task SaveKeyAsync(string partnerId, PartnerKey key, KeyAuditEntry audit, CancellationToken cancellationToken);

    Task<IReadOnlyList<KeyAuditEntry>> LoadAuditTrailAsync(string partnerId, CancellationToken cancellationToken);
}
