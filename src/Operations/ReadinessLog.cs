using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace JustGold.Operations;

/// <summary>
/// Says in the log when this process stops or starts being ready, once per change. The health
/// check service would write an Error line on every failing <c>/readyz</c> (its category is set
/// to Critical in appsettings.json), and anyone who can reach the endpoint could grow the log by
/// polling it during an outage.
/// </summary>
internal sealed partial class ReadinessLog(ILogger<ReadinessLog> logger)
{
    private int _ready = -1;

    public void Observe(HealthReport report)
    {
        var ready = report.Status == HealthStatus.Unhealthy ? 0 : 1;
        if (Interlocked.Exchange(ref _ready, ready) == ready)
        {
            return;
        }

        if (ready == 1)
        {
            LogReady();
        }
        else
        {
            LogNotReady(string.Join(", ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key)));
        }
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Not ready: {Checks} unhealthy; /readyz answers 503 until they recover")]
    private partial void LogNotReady(string checks);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Ready: every readiness check passes")]
    private partial void LogReady();
}
