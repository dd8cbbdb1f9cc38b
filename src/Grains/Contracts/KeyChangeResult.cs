using System.Diagnostics.CodeAnalysis;

namespace JustGold.Grains.Contracts;

/// <summary>The outcome of adding or revoking a key.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyChangeResult(
    [property: Id(0)] KeyChangeFailure Failure,
    [property: Id(1)] bool Created,
    [property: Id(2)] PartnerKey? Key)
{
    [MemberNotNullWhen(true, nameof(Key))]
    public bool Succeeded => Failure == KeyChangeFailure.None && Key is not null;
}
