using System.Diagnostics.CodeAnalysis;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Keys;

/// <summary>The outcome of reading an upload: a key, or one failure with a message a partner can act on.</summary>
internal readonly record struct KeyUploadResult
{
    private KeyUploadResult(PartnerKey? key, KeyUploadFailure failure, string problem)
    {
        Key = key;
        Failure = failure;
        Problem = problem;
    }

    public PartnerKey? Key { get; }

    public KeyUploadFailure Failure { get; }

    /// <summary>What to fix, for the partner; never quotes the upload (it may hold private key material). Empty on success.</summary>
    public string Problem { get; }

    [MemberNotNullWhen(true, nameof(Key))]
    public bool Succeeded => Key is not null;

    /// <summary>The contract's error code: <c>private_key_rejected</c> for private material, else <c>invalid_key</c>.</summary>
    public string ErrorCode => Failure == KeyUploadFailure.PrivateKey ? "private_key_rejected" : "invalid_key";

    public static KeyUploadResult Success(PartnerKey key) => new(key, KeyUploadFailure.None, "");

    public static KeyUploadResult Fail(KeyUploadFailure failure, string problem) => new(null, failure, problem);
}
