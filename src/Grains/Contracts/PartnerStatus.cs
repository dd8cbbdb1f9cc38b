namespace JustGold.Grains.Contracts;

/// <summary>Whether a partner may authenticate.</summary>
public enum PartnerStatus
{
    Active,
    Suspended,
}
