using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JustGold.Grains.Storage;

/// <summary>
/// Drops stored replay records once their tokens have expired (whole journal files in the
/// embedded store, whole partitions on PostgreSQL, which it also creates ahead), so storage holds
/// only live jti values and never deletes row by row.
/// </summary>
internal sealed partial class ReplayRecordJanitor(
    IReplayStore store,
    TimeProvider time,
    IOptions<StorageOptions> options,
    ILogger<ReplayRecordJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DurableReplayRecords)
        {
            return;
        }

        // Real time, not the injected clock: this is housekeeping cadence, not token rules.
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await store.ForgetExpiredAsync(time.GetUtcNow().ToUnixTimeSeconds(), stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Dropped {Count} expired replay records or journal files")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Deleting expired replay records failed; will try again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
