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
/// </summary>
public sealed partial class ReplayRecordWriter(
    IPartnerStore store,
    IOptions<StorageOptions> options,
    TimeProvider time,
    PartnerAuthMetrics metrics,
    ILogger<ReplayRecordWriter> logger) : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    /// <summary>Completes once the record is durable: true when new, false when the jti was already stored.</summary>
    public Task<bool> AppendAsync(ReplayRecord record)
    {
        var pending = new Pending(record, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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
        var batch = new List<Pending>(max);
        var records = new List<ReplayRecord>(max);
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < max && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    records.Add(pending.Record);
                }

                Write(batch, records);
                batch.Clear();
                records.Clear();
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

    private void Write(List<Pending> batch, List<ReplayRecord> records)
    {
        try
        {
            // Not cancelled by shutdown: a commit under way finishes so its callers get a true answer.
            var inserted = store.AppendReplayRecordsAsync(records, time.GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None)
                .GetAwaiter().GetResult();
            metrics.ReplayBatchWritten(records.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(inserted[i]);
            }
        }
        catch (Exception ex)
        {
            LogBatchFailed(logger, ex, records.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Writing {Count} replay records failed; those tokens are refused as service_unavailable")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(ReplayRecord Record, TaskCompletionSource<bool> Completion);
}
