using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JustGold.Api.Authentication;

/// <summary>
/// Sends one batch of confirmations to a partner's grain. A call still out when one of this
/// node's gateway connections drops may have gone through that connection and will then never
/// be answered, so from the drop on it waits at most <c>Cluster:GatewayLossGraceMilliseconds</c>:
/// a partner whose silo was just killed gets a 503 within about half a second, not after the
/// cluster's response timeout. A call that another silo forwarded to the one that died is lost
/// without any connection of this node dropping; <c>Cluster:ConfirmationTimeoutMilliseconds</c>
/// bounds those, set above what a slow but live call takes (a cold start, a busy disk).
/// <para>
/// A batch is sent again only when Orleans answered with a <em>rejection</em> — a message the
/// runtime turned back before any grain code ran: the target activation was deactivating or
/// gone, forwarding failed, the gateway shed load, no gateway was connected. Orleans surfaces
/// such a rejection as <see cref="OrleansMessageRejectionException"/> or
/// <see cref="GatewayTooBusyException"/> (the exact types), which grain code never throws (this grain throws
/// nothing: a storage failure is a verdict), so the jti values were not decided and sending
/// them again cannot turn a first use into a false replay. A timeout or
/// <see cref="SiloUnavailableException"/> is never retried: the silo may have decided before it
/// went silent. Whatever happens, PostgreSQL's primary key still refuses a jti twice.
/// </para>
/// </summary>
internal sealed partial class ConfirmationSender(
    GatewayLossSignal gatewayLoss,
    IOptions<ClusterSettings> cluster,
    TimeProvider time,
    PartnerAuthMetrics metrics,
    ILogger<ConfirmationSender> logger)
{
    /// <summary>Enough for an activation to move to another silo; the pauses add up to 0.3 s.</summary>
    private const int MaxAttempts = 4;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    private readonly TimeSpan _grace = TimeSpan.FromMilliseconds(cluster.Value.GatewayLossGraceMilliseconds);
    private readonly TimeSpan _timeout = TimeSpan.FromMilliseconds(cluster.Value.ConfirmationTimeoutMilliseconds);

    public async Task<ConfirmationVerdict[]> SendAsync(string partnerId, IPartnerGrain grain, TokenConfirmation[] batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The token before the call: a connection that drops once the call is out must cut its wait.
                // A lone confirmation (most of them, when partners are many) goes as a single call.
                var lost = gatewayLoss.Token;
                return batch.Length == 1
                    ? [await CallAsync(grain.ConfirmAsync(batch[0]), lost)]
                    : await CallAsync(grain.ConfirmBatchAsync(batch), lost);
            }
            catch (Exception ex) when (NeverReachedGrain(ex) && attempt < MaxAttempts)
            {
                metrics.ConfirmationRetried(ex.GetType().Name);
                LogRetrying(logger, partnerId, batch.Length, attempt, ex.GetType().Name);
                await Task.Delay(RetryPause * attempt, time);
            }
        }
    }

    /// <summary>
    /// True for Orleans rejections: the runtime refused the message before grain code saw it.
    /// The exact type: <see cref="SiloUnavailableException"/> derives from the rejection type but
    /// also reports a silo that died after it received the call.
    /// </summary>
    public static bool NeverReachedGrain(Exception exception) =>
        exception.GetType() == typeof(OrleansMessageRejectionException) || exception is GatewayTooBusyException;

    private async Task<T> CallAsync<T>(Task<T> call, CancellationToken lost)
    {
        try
        {
            return await call.WaitAsync(_timeout, time, lost);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // A gateway connection dropped while this call was out: it may have been that one.
            // The answer may also have landed since the drop was seen (a stopping silo sends its
            // last answers as it closes its connections): then it is the answer, at once.
            return await call.WaitAsync(_grace, time);
        }
    }

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information,
        Message = "Confirmations for partner {PartnerId} ({Count}) were rejected before reaching the grain (attempt {Attempt}: {Rejection}); sending again")]
    private static partial void LogRetrying(ILogger logger, string partnerId, int count, int attempt, string rejection);
}
