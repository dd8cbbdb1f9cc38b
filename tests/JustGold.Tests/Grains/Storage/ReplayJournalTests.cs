using JustGold.Grains.Partners;
using JustGold.Grains.Storage.Journal;
using JustGold.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static JustGold.Tests.Grains.Storage.ReplayStoreContractTests;

namespace JustGold.Tests.Grains.Storage;

/// <summary>
/// The embedded journal on real files: what a crash leaves behind (a tail cut anywhere, a block of
/// zeros), whole-file expiry, and that a reopen reads only live segments.
/// </summary>
public sealed class ReplayJournalTests : IDisposable
{
    private const long Now = 1_800_000_000;
    private const int Segment = 60;

    private readonly string _directory = Path.Combine(ApiFactory.NewDataDirectory(), "replay");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(Now));
    private readonly string _partner = ApiFixture.NewPartnerId();

    [Fact]
    public async Task EachRecordTakes32BytesInTheFileOfItsForgetAtSegment()
    {
        using (var store = Open())
        {
            await store.AppendAsync([.. Enumerable.Range(0, 100).Select(i => Record(_partner, "j" + i, Now + 30))], Now, CancellationToken.None);
            await store.AppendAsync([Record(_partner, "later", Now + 200)], Now, CancellationToken.None);
            // Each file is grown ahead of its records in zeros while it is open.
            Assert.Equal((2, 2L * JournalSegment.MinGrowth, 101L), store.Size());
        }

        // A clean close gives the zeros back.

        Assert.Equal(
            [JournalSegment.FileName(Now + 60), JournalSegment.FileName(Now + 240)],
            Directory.GetFiles(_directory, "replay-*.seg").Select(Path.GetFileName).Order());
        Assert.Equal(100 * 32, new FileInfo(Path.Combine(_directory, JournalSegment.FileName(Now + 60))).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(32 * 3 + 7)]
    public async Task TornTailIsCutOffAndWhatWasSyncedBeforeItSurvives(int tornBytes)
    {
        using (var store = Open())
        {
            await store.AppendAsync([Record(_partner, "acked-1", Now + 30), Record(_partner, "acked-2", Now + 30)], Now, CancellationToken.None);
            await store.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Record(_partner, "in-flight-" + i, Now + 30))], Now, CancellationToken.None);
        }

        // kill -9 during the second commit: only part of it reached the disk, cut mid-record.
        var file = Path.Combine(_directory, JournalSegment.FileName(Now + 60));
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(2 * 32 + tornBytes);
        }

        using (var store = Open())
        {
            var live = await store.LoadAsync(_partner, Now, CancellationToken.None);
            var whole = tornBytes / 32;
            Assert.Equal(2 + whole, live.Count);
            Assert.Contains(JtiDigest.Of("acked-1"), live.Select(r => r.Jti));
            Assert.Contains(JtiDigest.Of("acked-2"), live.Select(r => r.Jti));
            Assert.Equal((2 + whole) * 32L, new FileInfo(file).Length);

            // Appending resumes after the last whole record, and that survives the next reopen.
            await store.AppendAsync([Record(_partner, "after-restart", Now + 30)], Now, CancellationToken.None);
        }

        using (var store = Open())
        {
            var live = await store.LoadAsync(_partner, Now, CancellationToken.None);
            Assert.Equal(3 + (tornBytes / 32), live.Count);
            Assert.Contains(JtiDigest.Of("after-restart"), live.Select(r => r.Jti));
        }
    }

    [Fact]
    public async Task ZerosGrownAheadOfTheRecordsAreCutOffAfterACrash()
    {
        var file = Path.Combine(_directory, JournalSegment.FileName(Now + 60));
        using (var store = Open())
        {
            await store.AppendAsync([.. Enumerable.Range(0, 3).Select(i => Record(_partner, "acked-" + i, Now + 30))], Now, CancellationToken.None);
            Assert.Equal((1, (long)JournalSegment.MinGrowth, 3L), store.Size());

            // Growing again takes the next, doubled step, zeros ahead of the records again.
            await store.AppendAsync([.. Enumerable.Range(0, JournalSegment.MinGrowth / 32).Select(i => Record(_partner, "more-" + i, Now + 30))], Now, CancellationToken.None);
            Assert.Equal((1, 2L * JournalSegment.MinGrowth, 3L + (JournalSegment.MinGrowth / 32)), store.Size());
        }

        // What kill -9 right after the first commit leaves: the records, then the rest of the
        // zero-filled step (the file is locked while open, so the image is rebuilt from the records).
        var records = File.ReadAllBytes(file).AsSpan(0, 3 * 32).ToArray();
        File.WriteAllBytes(file, [.. records, .. new byte[JournalSegment.MinGrowth - records.Length]]);

        using var reopened = Open();
        var live = await reopened.LoadAsync(_partner, Now, CancellationToken.None);
        Assert.Equal(3, live.Count);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(JtiDigest.Of("acked-" + i), live.Select(r => r.Jti)));
        Assert.Equal(3 * 32, new FileInfo(file).Length);
    }

    [Fact]
    public async Task CorruptOrZeroFilledTailIsNotReadAsRecords()
    {
        using (var store = Open())
        {
            await store.AppendAsync([Record(_partner, "acked", Now + 30), Record(_partner, "torn", Now + 30)], Now, CancellationToken.None);
        }

        // The second record's bytes half written (one flipped byte), then a block the file
        // system extended the file with but never filled.
        var file = Path.Combine(_directory, JournalSegment.FileName(Now + 60));
        var bytes = File.ReadAllBytes(file);
        bytes[32 + 5] ^= 0x40;
        File.WriteAllBytes(file, [.. bytes, .. new byte[4096]]);

        using var reopened = Open();
        var live = await reopened.LoadAsync(_partner, Now, CancellationToken.None);
        Assert.Equal([JtiDigest.Of("acked")], live.Select(r => r.Jti));
        Assert.Equal(32, new FileInfo(file).Length);
    }

    [Fact]
    public async Task ExpiredSegmentsAreDeletedWholeAndReopenReadsOnlyLiveOnes()
    {
        using (var store = Open())
        {
            await store.AppendAsync(
                [Record(_partner, "soon", Now + 10), Record(_partner, "later", Now + 100), Record(_partner, "last", Now + 400)], Now, CancellationToken.None);

            // Nothing goes before its segment's end: forget-at Now+10 lives in the file ending at Now+60.
            Assert.Equal(0, await store.ForgetExpiredAsync(Now + 59, CancellationToken.None));
            Assert.Equal(1, await store.ForgetExpiredAsync(Now + 60, CancellationToken.None));
            Assert.Equal(
                [JournalSegment.FileName(Now + 120), JournalSegment.FileName(Now + 420)],
                Directory.GetFiles(_directory, "replay-*.seg").Select(Path.GetFileName).Order());
            Assert.Equal(2, (await store.LoadAsync(_partner, Now + 60, CancellationToken.None)).Count);
        }

        // A restart after Now+120: the second file is past too and is deleted without being read.
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(Now + 130));
        using (var store = Open())
        {
            Assert.Equal([JournalSegment.FileName(Now + 420)], Directory.GetFiles(_directory, "replay-*.seg").Select(Path.GetFileName));
            Assert.Equal([JtiDigest.Of("last")], (await store.LoadAsync(_partner, Now + 130, CancellationToken.None)).Select(r => r.Jti));
            Assert.Equal((1, 32L, 1L), store.Size());
        }
    }

    [Fact]
    public async Task SilosOfOneProcessShareTheFolderAndItClosesWithTheLast()
    {
        var first = Open();
        var second = Open();
        await first.AppendAsync([Record(_partner, "from-first", Now + 30)], Now, CancellationToken.None);

        Assert.Single(await second.LoadAsync(_partner, Now, CancellationToken.None));
        first.Dispose();
        await second.AppendAsync([Record(_partner, "from-second", Now + 30)], Now, CancellationToken.None);
        second.Dispose();

        using var reopened = Open();
        Assert.Equal(2, (await reopened.LoadAsync(_partner, Now, CancellationToken.None)).Count);
    }

    [Fact]
    public void AnotherProcessCannotOpenTheFolderWhileTheJournalIsOpen()
    {
        var lockFile = Path.Combine(_directory, ReplayJournal.LockFileName);
        using (Open())
        {
            // What a second process's journal does first; FileShare.None takes an exclusive lock.
            Assert.ThrowsAny<IOException>(() => File.OpenHandle(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose());
        }

        File.OpenHandle(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose();
    }

    public void Dispose() => ApiFixture.TryDelete(Path.GetDirectoryName(_directory)!);

    private JournalReplayStore Open() => new(_directory, Segment, _clock);
}
