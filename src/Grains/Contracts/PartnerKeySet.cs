namespace JustGold.Grains.Contracts;

/// <summary>
/// What a verifier needs from a partner grain: whether the partner may authenticate and
/// which keys are active. Handed out so signatures can be checked outside the grain's turn.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PartnerKeySet(
    [property: Id(0)] bool Registered,
    [property: Id(1)] PartnerStatus Status,
    [property: Id(2)] IReadOnlyList<PartnerKey> ActiveKeys)
{
    public static PartnerKeySet Unregistered { get; } = new(false, PartnerStatus.Suspended, []);

    public bool CanAuthenticate => Registered && Status == PartnerStatus.Active;
}
