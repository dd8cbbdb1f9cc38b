using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace JustGold.Grains.Partners;

/// <summary>
/// How a jti is identified in memory, on disk and in PostgreSQL: the first 16 bytes of SHA-256
/// over its UTF-16 code units exactly as decoded from JSON. Any JSON string (U+0000, lone
/// surrogates, newlines) is therefore kept and compared exactly, and every stored record has
/// one fixed size. Two jti values sharing a digest can only make a token look replayed
/// (refused), never make a replay look new.
/// </summary>
internal readonly record struct JtiDigest(ulong High, ulong Low)
{
    public const int Size = 16;

    public static JtiDigest Of(string jti) => Of(jti.AsSpan());

    public static JtiDigest Of(ReadOnlySpan<char> jti)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(jti), hash);
        return Read(hash);
    }

    /// <summary>The digest held in the first <see cref="Size"/> bytes of <paramref name="source"/> (big-endian).</summary>
    public static JtiDigest Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]));

    /// <summary>Writes the digest's <see cref="Size"/> bytes, in the order SHA-256 gave them.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    /// <summary>The same 16 bytes as a PostgreSQL <c>uuid</c> (fixed width, no length header).</summary>
    public Guid ToGuid()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return new Guid(bytes, bigEndian: true);
    }

    public static JtiDigest FromGuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[Size];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return Read(bytes);
    }

    public override string ToString() => $"{High:x16}{Low:x16}";
}
