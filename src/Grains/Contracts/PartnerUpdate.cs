namespace JustGold.Grains.Contracts;

/// <summary>A create-or-update request; a null field keeps its value.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerUpdate(
    [property: Id(0)] string? Name,
    [property: Id(1)] PartnerStatus? Status);
