using System.Diagnostics;
using JustGold.Grains.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JustGold.Grains.Storage;

/// <summary>
/// Group commit for accepted jti values: every grain on this silo hands its record here and
/// waits; one loop writes whatever has queued up in a single transaction. While one commit
/// is on its way to disk the next batch gathers, so batches grow with load by themselves.
/// A record the store refuses fails only itself: a failed batch is retried in halves.
/// </summary>
internal sealed partial class ReplayRecordWriter(
    IReplayStore store,
    IOptions<StorageOptions> options,
    TimeProvider time,
    PartnerAuthMetrics metrics,
    ILogger<ReplayRecordWriter> logger) : BackgroundService
{
    // Grains hand records over under this lock; the writer sleeps on it (Monitor.Wait) when
    // nothing is queued, and the first record after that wakes it directly. A channel would put
    // a thread-pool hop between the two (its waiter completes asynchronously, then sets the
    // event the writer blocks on): a work item and an extra wake-up per commit.
    private readonly object _gate = new();
    private List<Pending> _queued = [];
    private bool _stopped;

    /// <summary>
    /// Completes once the record is durable: true when new, false when the jti was already stored.
    /// The writer thread completes it directly: the grain that awaits it resumes on its own
    /// activation's scheduler anyway, so a hop through the thread pool first would only add a
    /// work item and a wake-up per token.
    /// </summary>
    public Task<bool> AppendAsync(ReplayRecord record)
    {
        var pending = new Pending(record);
        lock (_gate)
        {
            if (!_stopped)
            {
                _queued.Add(pending);
                Monitor.Pulse(_gate); // nothing when the writer is busy committing, not waiting

                return pending.Task;
            }
        }

        pending.SetException(new InvalidOperationException("The replay record writer has stopped."));
        return pending.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Its own thread: the journal's and SQLite's calls block for the sync of every commit, and
        // a blocked thread-pool thread makes the pool inject more threads and switch more often.
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunLoop(stoppingToken);
                completion.SetResult();
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "replay-record-writer",
        };
        thread.Start();
        return completion.Task;
    }

    private void RunLoop(CancellationToken stoppingToken)
    {
        var max = options.Value.MaxReplayBatch;
        var delay = options.Value.ReplayCommitDelayMilliseconds;
        var siblings = options.Value.ReplayCommitSiblings;
        // Two lists take turns: grains fill one while the writer commits the other.
        var batch = new List<Pending>(max);
        using var wake = stoppingToken.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
        try
        {
            var committed = false;
            while (Take(ref batch, committed, stoppingToken, out var queuedDuringCommit))
            {
                // Others are arriving, so a moment's wait lets them share this sync. Two signs of it:
                // records queued up while the last commit was being written (traffic overlaps the
                // commits), or, after an idle spell, several queued already by the time the writer woke.
                // The first is what keeps batches full under steady load: a writer woken by one record
                // finds few siblings yet, and its one-record commit would cost a whole sync (on a VM the
                // sync's device kick and completion interrupt are most of the writer's CPU per commit).
                // A lone token on a quiet node finds neither and is written at once.
                if (delay > 0 && batch.Count < max && (queuedDuringCommit || batch.Count >= siblings))
                {
                    Thread.Sleep(delay);
                    TakeMore(batch);
                }

                // More than a batch queued (storage was slow): commits of at most max records each.
                var splitUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * SplitSeconds;
                for (var start = 0; start < batch.Count; start += max)
                {
                    Write(batch, start, Math.Min(max, batch.Count - start), splitUntil);
                }

                batch.Clear();
                committed = true;
            }
        }
        finally
        {
            // Nothing waiting may be left hanging, and nothing unwritten may be taken as accepted.
            List<Pending> left;
            lock (_gate)
            {
                _stopped = true;
                left = _queued;
                _queued = [];
            }

            foreach (var pending in left)
            {
                pending.TrySetException(new OperationCanceledException("The silo is stopping."));
            }
        }
    }

    /// <summary>
    /// Waits until records are queued and swaps them into <paramref name="batch"/>; false once stopping.
    /// <paramref name="queuedDuringCommit"/> tells whether they were there already, without a wait, right
    /// after a commit (<paramref name="afterCommit"/>; what queued before the first one came during start-up).
    /// </summary>
    private bool Take(ref List<Pending> batch, bool afterCommit, CancellationToken stoppingToken, out bool queuedDuringCommit)
    {
        lock (_gate)
        {
            queuedDuringCommit = afterCommit && _queued.Count > 0;
            while (_queued.Count == 0)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return false;
                }

                Monitor.Wait(_gate);
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return false;
            }

            (batch, _queued) = (_queued, batch);
            return true;
        }
    }

    /// <summary>Adds what arrived during the commit delay to the batch.</summary>
    private void TakeMore(List<Pending> batch)
    {
        lock (_gate)
        {
            if (_queued.Count > 0)
            {
                batch.AddRange(_queued);
                _queued.Clear();
            }
        }
    }

    // How long a failed batch may be retried in halves; past it (storage down rather than one
    // record refused) the rest fails at once.
    private const long SplitSeconds = 2;

    private void Write(List<Pending> batch, int start, int count, long splitUntil)
    {
        var records = new ReplayRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = batch[start + i].Record;
        }

        try
        {
            // Not cancelled by shutdown: a commit under way finishes so its callers get a true answer.
            var inserted = store.AppendAsync(records, time.GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None)
                .GetAwaiter().GetResult();
            metrics.ReplayBatchWritten(count);
            for (var i = 0; i < count; i++)
            {
                batch[start + i].TrySetResult(inserted[i]);
            }
        }
        catch (Exception ex) when (count > 1 && Stopwatch.GetTimestamp() < splitUntil)
        {
            // Maybe one record is what storage refuses: halve until it fails alone.
            LogBatchSplit(logger, ex, count);
            var half = count / 2;
            Write(batch, start, half, splitUntil);
            Write(batch, start + half, count - half, splitUntil);
        }
        catch (Exception ex)
        {
            LogBatchFailed(logger, ex, count);
            for (var i = 0; i < count; i++)
            {
                batch[start + i].TrySetException(ex);
            }
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Writing {Count} replay records failed; retrying in halves")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Writing {Count} replay records failed; those tokens are refused as service_unavailable")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    /// <summary>A queued record and its caller's completion in one object: one allocation per token, not two.</summary>
    private sealed class Pending(ReplayRecord record) : TaskCompletionSource<bool>
    {
        public ReplayRecord Record { get; } = record;
    }
}
