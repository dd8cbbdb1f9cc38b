namespace JustGold.Api.Keys;

/// <summary>Why an uploaded key was refused; <see cref="KeyUploadResult.ErrorCode"/> gives the contract's code.</summary>
internal enum KeyUploadFailure
{
    None,
    NotPem,
    PrivateKey,
    UnsupportedKey,
    RsaTooShort,
    RsaTooLong,
    RsaExponent,
    UnsupportedCurve,
}
