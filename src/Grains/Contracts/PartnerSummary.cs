namespace JustGold.Grains.Contracts;

/// <summary>One row of the partner list.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerSummary(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string Name,
    [property: Id(2)] PartnerStatus Status,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] DateTimeOffset Updated,
    [property: Id(5)] int ActiveKeys);
