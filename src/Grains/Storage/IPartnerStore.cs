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

/// <summary>One accepted jti, kept until <see cref="ForgetAtUnixSeconds"/>.</summary>
public readonly record struct ReplayRecord(string PartnerId, string Jti, long ForgetAtUnixSeconds);

/// <summary>The durable home of partners, keys, the key audit trail and accepted jti values.</summary>
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

    /// <summary>The jti values of a partner that are still remembered at <paramref name="nowUnixSeconds"/>.</summary>
    Task<IReadOnlyList<ReplayRecord>> LoadReplayRecordsAsync(string partnerId, long nowUnixSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts records in one transaction. For each record, true when it was new; false when
    /// that partner already had the jti live at <paramref name="nowUnixSeconds"/> (a replay
    /// another activation let through to here).
    /// </summary>
    Task<bool[]> AppendReplayRecordsAsync(IReadOnlyList<ReplayRecord> records, long nowUnixSeconds, CancellationToken cancellationToken);

    /// <summary>Deletes records whose tokens expired; returns how many.</summary>
    Task<int> DeleteExpiredReplayRecordsAsync(long nowUnixSeconds, CancellationToken cancellationToken);
}
