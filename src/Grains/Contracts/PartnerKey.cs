namespace JustGold.Grains.Contracts;

/// <summary>A partner's public key, as stored: the SubjectPublicKeyInfo DER plus what was derived from it.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerKey(
    [property: Id(0)] string Kid,
    [property: Id(1)] string KeyType,
    [property: Id(2)] string? Curve,
    [property: Id(3)] byte[] SubjectPublicKeyInfo,
    [property: Id(4)] KeyStatus Status,
    [property: Id(5)] DateTimeOffset Created,
    [property: Id(6)] DateTimeOffset? Revoked);
