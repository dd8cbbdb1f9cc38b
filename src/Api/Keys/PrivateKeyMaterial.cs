namespace JustGold.Api.Keys;

/// <summary>
/// The one check for private key material in an upload. It runs on the whole upload before
/// anything else reads it, so a refused upload is never parsed further, stored or logged.
/// </summary>
internal static class PrivateKeyMaterial
{
    public const string RejectedMessage =
        "The upload contains private key material; it was discarded. Upload only the public key (openssl pkey -in private.pem -pubout).";

    public static bool IsPresentIn(string upload) => upload.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase);
}
