using Microsoft.Extensions.Logging;

namespace JustGold.Grains.Hosting;

/// <summary>
/// Keeps an API node's Orleans client trying to reach the cluster for as long as the process
/// lives, with a capped back-off, instead of failing start-up when no silo (or no membership
/// table) is there yet. Until it connects, grain calls fail and the API answers 503.
/// </summary>
internal sealed partial class ClusterConnectionRetryFilter(ILogger<ClusterConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var attempt = Interlocked.Increment(ref _attempts);
        var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks * Math.Min(attempt, 10)));
        LogRetrying(logger, attempt, exception.GetType().Name, exception.Message, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Cannot reach the cluster yet (attempt {Attempt}: {ExceptionType}: {Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, int attempt, string exceptionType, string reason, double delaySeconds);
}
