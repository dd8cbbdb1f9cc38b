using System.Buffers.Binary;
using System.IO.Hashing;
using JustGold.Grains.Partners;

namespace JustGold.Grains.Storage.Journal;

/// <summary>
/// One accepted jti on disk: 32 bytes, fixed. Partner key (8), jti digest (16), forget-at in
/// Unix seconds (4, unsigned: good until 2106) and a CRC-32 of the 28 bytes before it, so a
/// record torn by a crash, or a zero-filled block the file system extended the file with,
/// reads as invalid rather than as some other jti.
/// </summary>
internal readonly record struct JournalRecord(long PartnerKey, JtiDigest Jti, uint ForgetAt)
{
    public const int Size = 32;
    private const int ChecksumOffset = 28;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, PartnerKey);
        Jti.WriteTo(destination[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], ForgetAt);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ChecksumOffset..], Crc32.HashToUInt32(destination[..ChecksumOffset]));
    }

    /// <summary>Reads one record; false when its checksum does not match or it is all zeros.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out JournalRecord record)
    {
        record = default;
        var forgetAt = BinaryPrimitives.ReadUInt32LittleEndian(source[24..]);
        if (forgetAt == 0
            || BinaryPrimitives.ReadUInt32LittleEndian(source[ChecksumOffset..]) != Crc32.HashToUInt32(source[..ChecksumOffset]))
        {
            return false;
        }

        record = new JournalRecord(BinaryPrimitives.ReadInt64LittleEndian(source), JtiDigest.Read(source[8..]), forgetAt);
        return true;
    }
}
