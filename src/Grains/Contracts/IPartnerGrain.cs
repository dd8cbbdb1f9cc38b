using Orleans.Concurrency;

namespace JustGold.Grains.Contracts;

/// <summary>One partner (key = partner id): its profile, its public keys and the jti values it has used.</summary>
public interface IPartnerGrain : IGrainWithStringKey
{
    /// <summary>Creates the partner or updates the fields given.</summary>
    Task<PartnerUpsertResult> UpsertAsync(PartnerUpdate update);

    /// <summary>The partner with all its keys, or null when it is not registered.</summary>
    Task<PartnerDetails?> GetAsync();

    /// <summary>Adds a public key; the same key again returns the stored one.</summary>
    Task<KeyChangeResult> AddKeyAsync(PartnerKey key, string actor);

    /// <summary>Revokes a key: it verifies nothing from the next request on.</summary>
    Task<KeyChangeResult> RevokeKeyAsync(string kid, string actor);

    /// <summary>The status and active keys a verifier checks signatures with.</summary>
    [AlwaysInterleave]
    Task<PartnerKeySet> GetKeySetAsync();

    /// <summary>Atomically checks that the partner and key are still active and the jti unseen, then records the jti durably.</summary>
    [AlwaysInterleave]
    Task<ConfirmationVerdict> ConfirmAsync(TokenConfirmation confirmation);

    /// <summary>
    /// <see cref="ConfirmAsync"/> for several tokens in one call, each decided in order; the
    /// verdicts line up with the confirmations.
    /// </summary>
    [AlwaysInterleave]
    Task<ConfirmationVerdict[]> ConfirmBatchAsync(TokenConfirmation[] confirmations);
}
