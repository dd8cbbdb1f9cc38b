namespace JustGold.Grains.Contracts;

/// <summary>The outcome of <see cref="IPartnerGrain.UpsertAsync"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerUpsertResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] PartnerDetails Partner);
