namespace JustGold.Grains.Contracts;

/// <summary>A partner's profile and keys, as the operator API shows them.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerDetails(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string Name,
    [property: Id(2)] PartnerStatus Status,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] DateTimeOffset Updated,
    [property: Id(5)] IReadOnlyList<PartnerKey> Keys);
