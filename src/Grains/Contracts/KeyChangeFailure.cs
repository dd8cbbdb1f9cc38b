namespace JustGold.Grains.Contracts;

/// <summary>Why a key change was refused, or <see cref="None"/>.</summary>
public enum KeyChangeFailure
{
    None,
    PartnerNotFound,
    KeyNotFound,
    TooManyKeys,
    KeyRevoked,
}
