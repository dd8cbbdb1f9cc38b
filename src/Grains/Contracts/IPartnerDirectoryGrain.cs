namespace JustGold.Grains.Contracts;

/// <summary>Questions about all partners at once; a stateless worker that reads storage.</summary>
public interface IPartnerDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>All registered partners.</summary>
    Task<IReadOnlyList<PartnerSummary>> ListAsync();

    /// <summary>The key audit trail of one partner, oldest first.</summary>
    Task<IReadOnlyList<KeyAuditEntry>> GetAuditTrailAsync(string partnerId);

    /// <summary>Succeeds when this silo can reach its storage.</summary>
    Task CheckStorageAsync();
}
