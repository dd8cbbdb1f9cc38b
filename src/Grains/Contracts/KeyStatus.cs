namespace JustGold.Grains.Contracts;

/// <summary>Whether a partner key may verify signatures.</summary>
public enum KeyStatus
{
    Active,
    Revoked,
}
