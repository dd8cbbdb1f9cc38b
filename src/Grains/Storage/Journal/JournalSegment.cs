using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace JustGold.Grains.Storage.Journal;

/// <summary>
/// One journal file: the records whose forget-at falls in (<see cref="End"/> − segment length,
/// <see cref="End"/>]. Appended to only; once <see cref="End"/> has passed every record in it
/// may be forgotten, so the whole file is deleted.
/// <para>
/// The file is grown ahead of its records in zero-filled steps (as PostgreSQL fills a WAL
/// segment before use), so most commits overwrite blocks the file already has: fdatasync then
/// writes just the data, not the file's size and block map through the file system's journal
/// as well. Zeros read as no record, so recovery stops at them like at a torn tail.
/// </para>
/// </summary>
internal sealed class JournalSegment : IDisposable
{
    private const string Prefix = "replay-";
    private const string Suffix = ".seg";

    /// <summary>The first step; each next one doubles up to <see cref="MaxGrowth"/>, so a quiet segment stays small.</summary>
    internal const int MinGrowth = 64 * 1024;

    internal const int MaxGrowth = 4 * 1024 * 1024;

    private static readonly byte[] Zeros = new byte[MinGrowth];

    private readonly SafeFileHandle _file;
    private long _length;
    private long _allocated;

    private JournalSegment(string path, long end, SafeFileHandle file, long length)
    {
        Path = path;
        End = end;
        _file = file;
        _length = length;
        _allocated = length;
    }

    public string Path { get; }

    /// <summary>Unix seconds from which every record in the file may be forgotten.</summary>
    public long End { get; }

    public static string FileName(long end) => Prefix + end.ToString(CultureInfo.InvariantCulture) + Suffix;

    /// <summary>The segment end a journal file's name gives, or null for any other file.</summary>
    public static long? ParseEnd(string fileName) =>
        fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.EndsWith(Suffix, StringComparison.Ordinal)
        && long.TryParse(fileName.AsSpan(Prefix.Length, fileName.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            ? end
            : null;

    /// <summary>
    /// Opens (or creates) the file and reads it, handing each valid record to
    /// <paramref name="loaded"/>. A tail that does not check out — a torn or partial write from
    /// a crash — was never synced, so never acknowledged: it is cut off before appending resumes.
    /// </summary>
    public static JournalSegment Open(string directory, long end, Action<JournalRecord> loaded)
    {
        var path = System.IO.Path.Combine(directory, FileName(end));
        var created = !File.Exists(path);
        // FileShare.None takes an advisory lock: a second process on the same folder fails here.
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            if (created)
            {
                NativeSync.SyncDirectory(directory);
                return new JournalSegment(path, end, file, 0);
            }

            var valid = Recover(file, end, loaded);
            if (valid < RandomAccess.GetLength(file))
            {
                RandomAccess.SetLength(file, valid);
                NativeSync.DataSync(file);
            }

            return new JournalSegment(path, end, file, valid);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes records after the last one; durable only after <see cref="Sync"/>.</summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        if (_length + records.Length > _allocated)
        {
            Grow(_length + records.Length);
        }

        RandomAccess.Write(_file, records, _length);
        _length += records.Length;
    }

    /// <summary>Bytes the file takes on disk: its records and the zeros ahead of them.</summary>
    public long Allocated => _allocated;

    /// <summary>Zero-fills the file to at least <paramref name="needed"/> bytes; the next sync makes it durable with the records.</summary>
    /// <remarks>Written, not <c>SetLength</c>: a longer length alone leaves a hole, and the first record
    /// written into a hole allocates its block, the metadata work this step exists to take off the sync.</remarks>
    private void Grow(long needed)
    {
        var target = _allocated + Math.Clamp(_allocated, MinGrowth, MaxGrowth);
        while (target < needed)
        {
            target += MaxGrowth;
        }

        for (var at = _allocated; at < target; at += Zeros.Length)
        {
            RandomAccess.Write(_file, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, target - at)), at);
        }

        _allocated = target;
    }

    public void Sync() => NativeSync.DataSync(_file);

    public long Length => _length;

    /// <summary>Closes the file, giving back the zeros ahead of its records (a crash leaves them to recovery).</summary>
    public void Dispose()
    {
        try
        {
            if (!_file.IsClosed && _allocated > _length)
            {
                RandomAccess.SetLength(_file, _length);
            }
        }
        catch (IOException)
        {
            // Only space is lost: the next open reads up to the zeros and cuts them off.
        }
        finally
        {
            _file.Dispose();
        }
    }

    /// <summary>Closes and deletes the file; its span has passed.</summary>
    public void Delete()
    {
        _file.Dispose();
        File.Delete(Path);
    }

    private static long Recover(SafeFileHandle file, long end, Action<JournalRecord> loaded)
    {
        var buffer = new byte[JournalRecord.Size * 2048];
        long offset = 0;
        while (true)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            var whole = read - (read % JournalRecord.Size);
            for (var at = 0; at < whole; at += JournalRecord.Size)
            {
                // A record must check out and belong to this file's time range; the first one
                // that does not ends what was ever synced.
                if (!JournalRecord.TryRead(buffer.AsSpan(at, JournalRecord.Size), out var record) || record.ForgetAt > end)
                {
                    return offset + at;
                }

                loaded(record);
            }

            offset += whole;
            if (whole < buffer.Length)
            {
                return offset;
            }
        }
    }
}
