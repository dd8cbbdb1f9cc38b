using System.Diagnostics;
using System.Threading.Channels;
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
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    /// <summary>
    /// Completes once the record is durable: true when new, false when the jti was already stored.
    /// The writer thread completes it directly: the grain that awaits it resumes on its own
    /// activation's scheduler anyway, so a hop through the thread pool first would only add a
    /// work item and a wake-up per token.
    /// </summary>
    public Task<bool> AppendAsync(ReplayRecord record)
    {
        var pending = new Pending(record, new TaskCompletionSource<bool>());
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Completion.SetException(new InvalidOperationException("The replay record writer has stopped."));
        }

        return pending.Completion.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Its own thread: SQLite's calls block for the fsync of every commit, and a blocked
        // thread-pool thread makes the pool inject more threads and switch more often.
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
        var batch = new List<Pending>(max);
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                Drain(reader, batch, max);
                if (delay > 0 && batch.Count >= siblings && batch.Count < max)
                {
                    // Others are arriving: a moment's wait lets them share this sync.
                    Thread.Sleep(delay);
                    Drain(reader, batch, max);
                }

                Write(batch, 0, batch.Count, Stopwatch.GetTimestamp() + Stopwatch.Frequency * SplitSeconds);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Nothing waiting may be left hanging, and nothing unwritten may be taken as accepted.
            _queue.Writer.TryComplete();
            while (reader.TryRead(out var pending))
            {
                pending.Completion.TrySetException(new OperationCanceledException("The silo is stopping."));
            }
        }
    }

    private static void Drain(ChannelReader<Pending> reader, List<Pending> batch, int max)
    {
        while (batch.Count < max && reader.TryRead(out var pending))
        {
            batch.Add(pending);
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
                batch[start + i].Completion.TrySetResult(inserted[i]);
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
                batch[start + i].Completion.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Writing {Count} replay records failed; retrying in halves")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Writing {Count} replay records failed; those tokens are refused as service_unavailable")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(ReplayRecord Record, TaskCompletionSource<bool> Completion);
}
