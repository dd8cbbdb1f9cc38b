namespace JustGold.Grains.Contracts;

/// <summary>The grain's final say on a token.</summary>
public enum ConfirmationVerdict
{
    Accepted,
    Replayed,
    PartnerNotActive,
    KeyNotActive,
    StorageUnavailable,
}
