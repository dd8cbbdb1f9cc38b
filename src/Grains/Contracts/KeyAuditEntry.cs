namespace JustGold.Grains.Contracts;

/// <summary>One entry of the key audit trail.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyAuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string PartnerId,
    [property: Id(3)] string Kid,
    [property: Id(4)] string Action);
