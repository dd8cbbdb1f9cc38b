namespace JustGold.Grains.Contracts;

/// <summary>A token whose signature and claims already passed, presented for the grain's final say.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenConfirmation(
    [property: Id(0)] string Kid,
    [property: Id(1)] string Jti,
    [property: Id(2)] long ExpiresAtUnixSeconds);
