using JustGold.Grains.Partners;

namespace JustGold.Grains.Storage.Journal;

/// <summary>
/// <see cref="IReplayStore"/> for the embedded default: <see cref="ReplayJournal"/> files in a
/// folder of the data directory. Silos in one process on the same folder (the test cluster)
/// share one journal; a second process on it fails at start (the files are locked).
/// </summary>
internal sealed class JournalReplayStore : IReplayStore, IDisposable
{
    private static readonly Dictionary<string, (ReplayJournal Journal, int Users)> Open = [];

    private readonly string _directory;
    private readonly ReplayJournal _journal;
    private bool _disposed;

    public JournalReplayStore(string directory, int segmentSeconds, TimeProvider time)
    {
        _directory = Path.GetFullPath(directory);
        lock (Open)
        {
            var (journal, users) = Open.TryGetValue(_directory, out var shared)
                ? shared
                : (new ReplayJournal(_directory, segmentSeconds, time.GetUtcNow().ToUnixTimeSeconds()), 0);
            Open[_directory] = (journal, users + 1);
            _journal = journal;
        }
    }

    /// <summary>Journal files, their bytes and the records they hold.</summary>
    public (int Files, long Bytes, long Records) Size() => _journal.Size();

    public Task<IReadOnlyList<ReplayRecord>> LoadAsync(string partnerId, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        var live = _journal.Load(ReplayPartnerKey.Of(partnerId), nowUnixSeconds);
        return Task.FromResult<IReadOnlyList<ReplayRecord>>(live.ConvertAll(r => new ReplayRecord(partnerId, r.Jti, r.ForgetAt)));
    }

    public Task<bool[]> AppendAsync(IReadOnlyList<ReplayRecord> records, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        // One silo owns this folder, so its grains' ledgers have decided what is new; only a
        // second copy inside one batch is reported here, and not written twice.
        var results = new bool[records.Count];
        var firstCopies = records.Count > 1 ? new HashSet<(string, JtiDigest)>(records.Count) : null;
        var toWrite = new List<JournalRecord>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            results[i] = firstCopies?.Add((record.PartnerId, record.Jti)) ?? true;
            if (results[i])
            {
                toWrite.Add(new JournalRecord(ReplayPartnerKey.Of(record.PartnerId), record.Jti, checked((uint)record.ForgetAtUnixSeconds)));
            }
        }

        _journal.Append(toWrite);
        return Task.FromResult(results);
    }

    public Task<int> ForgetExpiredAsync(long nowUnixSeconds, CancellationToken cancellationToken) =>
        Task.FromResult(_journal.DropExpired(nowUnixSeconds));

    public void Dispose()
    {
        lock (Open)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var (journal, users) = Open[_directory];
            if (users == 1)
            {
                Open.Remove(_directory);
                journal.Dispose();
            }
            else
            {
                Open[_directory] = (journal, users - 1);
            }
        }
    }
}
