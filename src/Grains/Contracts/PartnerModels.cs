namespace JustGold.Grains.Contracts;

/// <summary>Whether a partner may authenticate.</summary>
public enum PartnerStatus
{
    Active,
    Suspended,
}

/// <summary>Whether a partner key may verify signatures.</summary>
public enum KeyStatus
{
    Active,
    Revoked,
}

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

/// <summary>A partner's profile and keys, as the operator API shows them.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerDetails(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string Name,
    [property: Id(2)] PartnerStatus Status,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] DateTimeOffset Updated,
    [property: Id(5)] IReadOnlyList<PartnerKey> Keys);

/// <summary>One row of the partner list.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerSummary(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string Name,
    [property: Id(2)] PartnerStatus Status,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] DateTimeOffset Updated,
    [property: Id(5)] int ActiveKeys);

/// <summary>A create-or-update request; a null field keeps its value.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerUpdate(
    [property: Id(0)] string? Name,
    [property: Id(1)] PartnerStatus? Status);

/// <summary>The outcome of <see cref="IPartnerGrain.UpsertAsync"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerUpsertResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] PartnerDetails Partner);

/// <summary>Why a key change was refused, or <see cref="None"/>.</summary>
public enum KeyChangeFailure
{
    None,
    PartnerNotFound,
    KeyNotFound,
    TooManyKeys,
    KeyRevoked,
}

/// <summary>The outcome of adding or revoking a key.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyChangeResult(
    [property: Id(0)] KeyChangeFailure Failure,
    [property: Id(1)] bool Created,
    [property: Id(2)] PartnerKey? Key);

/// <summary>One entry of the key audit trail.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyAuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string PartnerId,
    [property: Id(3)] string Kid,
    [property: Id(4)] string Action);

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

/// <summary>A token whose signature and claims already passed, presented for the grain's final say.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenConfirmation(
    [property: Id(0)] string Kid,
    [property: Id(1)] string Jti,
    [property: Id(2)] long ExpiresAtUnixSeconds);

/// <summary>The grain's final say on a token.</summary>
public enum ConfirmationVerdict
{
    Accepted,
    Replayed,
    PartnerNotActive,
    KeyNotActive,
    StorageUnavailable,
}
