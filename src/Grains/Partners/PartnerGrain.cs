using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JustGold.Grains.Partners;

/// <summary>
/// One partner: profile, keys and used jti values. Writes go to storage before memory, so
/// what this grain has said survives it. Signature checks happen elsewhere; this grain keeps
/// the final, atomic say on whether a key is active and a jti unseen.
/// </summary>
internal sealed partial class PartnerGrain(
    IPartnerStore store,
    IReplayStore replayStore,
    ReplayRecordWriter replayWriter,
    TimeProvider time,
    IOptions<PartnerAuthOptions> authOptions,
    IOptions<StorageOptions> storageOptions,
    PartnerAuthMetrics metrics,
    LocalPartnerGrains localGrains,
    ILogger<PartnerGrain> logger) : Grain, IPartnerGrain
{
    private readonly ReplayLedger _ledger = new();
    private StoredPartner? _partner;
    private PartnerKeySet _keySet = PartnerKeySet.Unregistered;

    private string PartnerId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.PartnerGrainActivated();
        await LoadAsync(cancellationToken);
        localGrains.Add(GrainContext);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _partner = await store.LoadPartnerAsync(PartnerId, cancellationToken);
        if (_partner is null)
        {
            return;
        }

        RefreshKeySet();
        if (storageOptions.Value.DurableReplayRecords)
        {
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var record in await replayStore.LoadAsync(PartnerId, now, cancellationToken))
            {
                _ledger.TryAdd(record.Jti, record.ForgetAtUnixSeconds);
            }

            LogActivated(logger, PartnerId, _ledger.Count);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.PartnerGrainDeactivated(reason.ReasonCode.ToString());
        localGrains.Remove(GrainContext);
        return Task.CompletedTask;
    }

    public async Task<PartnerUpsertResult> UpsertAsync(PartnerUpdate update)
    {
        var now = Now();
        var created = _partner is null;
        var next = _partner is null
            ? new StoredPartner(PartnerId, update.Name ?? PartnerId, update.Status ?? PartnerStatus.Active, now, now, [])
            : _partner with { Name = update.Name ?? _partner.Name, Status = update.Status ?? _partner.Status, Updated = now };
        await store.SavePartnerAsync(next, CancellationToken.None);
        _partner = next;
        RefreshKeySet();
        return new PartnerUpsertResult(created, Describe(next));
    }

    public Task<PartnerDetails?> GetAsync()
    {
        if (_partner is null)
        {
            DeactivateOnIdle();
            return Task.FromResult<PartnerDetails?>(null);
        }

        return Task.FromResult<PartnerDetails?>(Describe(_partner));
    }

    public async Task<KeyChangeResult> AddKeyAsync(PartnerKey key, string actor)
    {
        if (_partner is null)
        {
            DeactivateOnIdle();
            return new KeyChangeResult(KeyChangeFailure.PartnerNotFound, false, null);
        }

        var existing = _partner.Keys.FirstOrDefault(k => k.Kid == key.Kid);
        if (existing is not null)
        {
            return existing.Status == KeyStatus.Active
                ? new KeyChangeResult(KeyChangeFailure.None, false, existing)
                : new KeyChangeResult(KeyChangeFailure.KeyRevoked, false, existing);
        }

        if (_partner.Keys.Count(k => k.Status == KeyStatus.Active) >= authOptions.Value.MaxActiveKeysPerPartner)
        {
            return new KeyChangeResult(KeyChangeFailure.TooManyKeys, false, null);
        }

        var stored = key with { Status = KeyStatus.Active, Created = Now(), Revoked = null };
        await store.SaveKeyAsync(PartnerId, stored, Audit(actor, stored.Kid, "added"), CancellationToken.None);
        _partner = _partner with { Keys = [.. _partner.Keys, stored] };
        RefreshKeySet();
        LogKeyChanged(logger, PartnerId, stored.Kid, "added");
        return new KeyChangeResult(KeyChangeFailure.None, true, stored);
    }

    public async Task<KeyChangeResult> RevokeKeyAsync(string kid, string actor)
    {
        var existing = _partner?.Keys.FirstOrDefault(k => k.Kid == kid);
        if (_partner is null || existing is null)
        {
            return new KeyChangeResult(_partner is null ? KeyChangeFailure.PartnerNotFound : KeyChangeFailure.KeyNotFound, false, null);
        }

        if (existing.Status == KeyStatus.Revoked)
        {
            return new KeyChangeResult(KeyChangeFailure.None, false, existing);
        }

        var revoked = existing with { Status = KeyStatus.Revoked, Revoked = Now() };
        await store.SaveKeyAsync(PartnerId, revoked, Audit(actor, kid, "revoked"), CancellationToken.None);
        _partner = _partner with { Keys = [.. _partner.Keys.Select(k => k.Kid == kid ? revoked : k)] };
        RefreshKeySet();
        LogKeyChanged(logger, PartnerId, kid, "revoked");
        return new KeyChangeResult(KeyChangeFailure.None, false, revoked);
    }

    public Task<PartnerKeySet> GetKeySetAsync()
    {
        if (_partner is null)
        {
            // An unknown issuer must not keep a grain alive: attackers choose issuers freely.
            DeactivateOnIdle();
        }

        return Task.FromResult(_keySet);
    }

    public Task<ConfirmationVerdict> ConfirmAsync(TokenConfirmation confirmation)
    {
        var verdict = Reserve(confirmation, out var record);
        return record is { } pending ? CompleteAsync(pending, confirmation.Kid) : Task.FromResult(verdict);
    }

    public async Task<ConfirmationVerdict[]> ConfirmBatchAsync(TokenConfirmation[] confirmations)
    {
        // Every reservation is made before the first await, so the batch is decided in order as
        // one step; the durable writes then share a group commit.
        var verdicts = new ConfirmationVerdict[confirmations.Length];
        var writes = new Task<ConfirmationVerdict>?[confirmations.Length];
        for (var i = 0; i < confirmations.Length; i++)
        {
            verdicts[i] = Reserve(confirmations[i], out var record);
            writes[i] = record is { } pending ? CompleteAsync(pending, confirmations[i].Kid) : null;
        }

        for (var i = 0; i < writes.Length; i++)
        {
            if (writes[i] is { } write)
            {
                verdicts[i] = await write;
            }
        }

        return verdicts;
    }

    /// <summary>
    /// The atomic part: partner active, key active, jti unseen; if so the jti is reserved in
    /// memory at once. Returns a record still to be made durable, or the final verdict.
    /// </summary>
    private ConfirmationVerdict Reserve(TokenConfirmation confirmation, out ReplayRecord? toStore)
    {
        toStore = null;
        if (_partner is not { Status: PartnerStatus.Active })
        {
            if (_partner is null)
            {
                DeactivateOnIdle();
            }

            return ConfirmationVerdict.PartnerNotActive;
        }

        if (!HasActiveKey(confirmation.Kid))
        {
            return ConfirmationVerdict.KeyNotActive;
        }

        _ledger.Prune(time.GetUtcNow().ToUnixTimeSeconds());
        var forgetAt = confirmation.ExpiresAtUnixSeconds + authOptions.Value.ClockSkewSeconds;
        var jti = JtiDigest.Of(confirmation.Jti);
        if (!_ledger.TryAdd(jti, forgetAt))
        {
            return ConfirmationVerdict.Replayed;
        }

        if (storageOptions.Value.DurableReplayRecords)
        {
            toStore = new ReplayRecord(PartnerId, jti, forgetAt);
        }

        return ConfirmationVerdict.Accepted;
    }

    /// <summary>A loop, not LINQ's Any: that allocated a closure per confirmation, on the grain's one thread.</summary>
    private bool HasActiveKey(string kid)
    {
        var keys = _keySet.ActiveKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Kid == kid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Waits until the reserved jti is durable; other confirmations interleave meanwhile.</summary>
    private async Task<ConfirmationVerdict> CompleteAsync(ReplayRecord record, string kid)
    {
        try
        {
            var inserted = await replayWriter.AppendAsync(record);
            return inserted ? ConfirmationVerdict.Accepted : ConfirmationVerdict.Replayed;
        }
        catch (Exception ex)
        {
            // Not durable, so not accepted; the jti stays usable for a retry.
            _ledger.Remove(record.Jti);
            LogReplayRecordFailed(logger, ex, PartnerId, kid);
            return ConfirmationVerdict.StorageUnavailable;
        }
    }

    // Storage keeps milliseconds; so does memory, or an answer would change after a reload.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private void RefreshKeySet() => _keySet = _partner is null
        ? PartnerKeySet.Unregistered
        : new PartnerKeySet(true, _partner.Status, [.. _partner.Keys.Where(k => k.Status == KeyStatus.Active)]);

    private KeyAuditEntry Audit(string actor, string kid, string action) =>
        new(Now(), actor, PartnerId, kid, action);

    private static PartnerDetails Describe(StoredPartner partner) =>
        new(partner.PartnerId, partner.Name, partner.Status, partner.Created, partner.Updated, partner.Keys);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Partner {PartnerId} activated with {ReplayRecords} live replay records")]
    private static partial void LogActivated(ILogger logger, string partnerId, int replayRecords);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Partner {PartnerId} key {Kid} {Action}")]
    private static partial void LogKeyChanged(ILogger logger, string partnerId, string kid, string action);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Partner {PartnerId}: replay record for a token signed by {Kid} could not be stored; refused")]
    private static partial void LogReplayRecordFailed(ILogger logger, Exception exception, string partnerId, string kid);
}
