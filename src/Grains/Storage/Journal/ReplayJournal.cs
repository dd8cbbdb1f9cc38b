using System.Buffers;
using JustGold.Grains.Partners;
using Microsoft.Win32.SafeHandles;

namespace JustGold.Grains.Storage.Journal;

/// <summary>
/// The embedded replay store's files: one append-only journal per forget-at segment, written in
/// group commits with one fdatasync per segment touched (one, as a rule: tokens accepted
/// together expire together). No index on disk; expiry deletes whole files. What the files
/// hold is also kept in memory by partner, so an activating grain reads only its own live
/// records and nothing expired is ever read.
/// </summary>
internal sealed class ReplayJournal : IDisposable
{
    private readonly object _gate = new();
    private readonly string _directory;
    private readonly long _segmentSeconds;
    private readonly SortedDictionary<long, JournalSegment> _segments = [];
    private readonly Dictionary<long, Dictionary<long, List<LiveJti>>> _live = [];
    private readonly SafeFileHandle _lock;
    private bool _disposed;

    /// <summary>Held while the journal is open: a second process on the folder fails at start, not at its first write.</summary>
    public const string LockFileName = "journal.lock";

    public ReplayJournal(string directory, int segmentSeconds, long nowUnixSeconds)
    {
        _directory = directory;
        _segmentSeconds = segmentSeconds;
        Directory.CreateDirectory(directory);
        _lock = File.OpenHandle(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (JournalSegment.ParseEnd(Path.GetFileName(path)) is not { } end)
            {
                continue;
            }

            if (end <= nowUnixSeconds)
            {
                // Past: dropped unread, whatever it holds.
                File.Delete(path);
                continue;
            }

            OpenSegment(end);
        }

        NativeSync.SyncDirectory(directory);
    }

    /// <summary>Live records of one partner at <paramref name="nowUnixSeconds"/>.</summary>
    public List<(JtiDigest Jti, long ForgetAt)> Load(long partnerKey, long nowUnixSeconds)
    {
        var found = new List<(JtiDigest, long)>();
        lock (_gate)
        {
            foreach (var (end, partners) in _live)
            {
                if (end > nowUnixSeconds && partners.TryGetValue(partnerKey, out var records))
                {
                    foreach (var record in records)
                    {
                        if (record.ForgetAt > nowUnixSeconds)
                        {
                            found.Add((record.Jti, record.ForgetAt));
                        }
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Writes the records and makes them durable before returning; throws when it cannot.</summary>
    public void Append(IReadOnlyList<JournalRecord> records)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(records.Count * JournalRecord.Size);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                // Group by segment, keeping arrival order inside each; a batch rarely spans two.
                var ends = new List<long>(2);
                foreach (var record in records)
                {
                    var end = SegmentEnd(record.ForgetAt);
                    if (!ends.Contains(end))
                    {
                        ends.Add(end);
                    }
                }

                foreach (var end in ends)
                {
                    AppendSegment(records, end, buffer);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            foreach (var record in records)
            {
                Remember(SegmentEnd(record.ForgetAt), record);
            }
        }
    }

    /// <summary>Deletes every segment whose end has passed; returns how many files went.</summary>
    public int DropExpired(long nowUnixSeconds)
    {
        var dropped = 0;
        lock (_gate)
        {
            foreach (var end in _segments.Keys.TakeWhile(e => e <= nowUnixSeconds).ToList())
            {
                _segments.Remove(end, out var segment);
                segment!.Delete();
                _live.Remove(end);
                dropped++;
            }

            if (dropped > 0)
            {
                NativeSync.SyncDirectory(_directory);
            }
        }

        return dropped;
    }

    /// <summary>Journal files, their bytes on disk (records and the zeros grown ahead of them) and their records, for operations and benchmarks.</summary>
    public (int Files, long Bytes, long Records) Size()
    {
        lock (_gate)
        {
            return (_segments.Count, _segments.Values.Sum(s => s.Allocated), _segments.Values.Sum(s => s.Length) / JournalRecord.Size);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var segment in _segments.Values)
            {
                segment.Dispose();
            }

            _segments.Clear();
            _live.Clear();
            _lock.Dispose();
        }
    }

    // Rounded up: a record's file is dropped at or after its forget-at, never before.
    private long SegmentEnd(uint forgetAt) => (forgetAt + _segmentSeconds - 1) / _segmentSeconds * _segmentSeconds;

    private void AppendSegment(IReadOnlyList<JournalRecord> records, long end, byte[] buffer)
    {
        var bytes = 0;
        foreach (var record in records)
        {
            if (SegmentEnd(record.ForgetAt) == end)
            {
                record.WriteTo(buffer.AsSpan(bytes, JournalRecord.Size));
                bytes += JournalRecord.Size;
            }
        }

        if (!_segments.TryGetValue(end, out var segment))
        {
            segment = OpenSegment(end);
        }

        try
        {
            segment.Append(buffer.AsSpan(0, bytes));
            segment.Sync();
        }
        catch
        {
            // After a failed write or sync the file's state is unknown: it is reopened (and
            // re-read) on its next use. Until then memory keeps what was acknowledged from it.
            _segments.Remove(end);
            segment.Dispose();
            throw;
        }
    }

    /// <summary>Opens a segment and (re)builds its part of memory from what the file holds.</summary>
    private JournalSegment OpenSegment(long end)
    {
        var partners = new Dictionary<long, List<LiveJti>>();
        var segment = JournalSegment.Open(_directory, end, record => Remember(partners, record));
        _segments.Add(end, segment);
        _live[end] = partners;
        return segment;
    }

    private void Remember(long end, JournalRecord record)
    {
        if (!_live.TryGetValue(end, out var partners))
        {
            partners = [];
            _live.Add(end, partners);
        }

        Remember(partners, record);
    }

    private static void Remember(Dictionary<long, List<LiveJti>> partners, JournalRecord record)
    {
        if (!partners.TryGetValue(record.PartnerKey, out var list))
        {
            list = [];
            partners.Add(record.PartnerKey, list);
        }

        list.Add(new LiveJti(record.Jti, record.ForgetAt));
    }

    private readonly record struct LiveJti(JtiDigest Jti, uint ForgetAt);
}
