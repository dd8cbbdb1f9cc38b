using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace JustGold.Grains.Storage;

/// <summary>
/// The partner a replay record belongs to, as a fixed 8 bytes (the first 8 of SHA-256 over the
/// partner id's UTF-16 code units), so every stored record has one small size. Two partners
/// sharing a key can only see each other's jti digests, which can only refuse a token.
/// </summary>
internal static class ReplayPartnerKey
{
    public static long Of(string partnerId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(partnerId.AsSpan()), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
