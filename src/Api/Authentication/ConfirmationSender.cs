using System.Diagnostics;
using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JustGold.Api.Authentication;

/// <summary>
/// Sends one batch of confirmations to a partner's grain within a deadline
/// (<c>Cluster:ConfirmationTimeoutMilliseconds</c>), so a partner whose silo just died waits
/// about a second for its 503, not the cluster's response timeout.
/// <para>
/// A batch is sent again only when Orleans answered with a <em>rejection</em> — a message the
/// runtime turned back before any grain code ran: the target activation was deactivating or
/// gone, forwarding failed, the gateway shed load, no gateway was connected. Orleans surfaces
/// such a rejection as <see cref="OrleansMessageRejectionException"/> or
/// <see cref="GatewayTooBusyException"/>, which grain code never throws (this grain throws
/// nothing: a storage failure is a verdict), so the jti values were not decided and sending
/// them again cannot turn a first use into a false replay. A timeout or
/// <see cref="SiloUnavailableException"/> is never retried: the silo may have decided before it
/// went silent. Whatever happens, PostgreSQL's primary key still refuses a jti twice.
/// </para>
/// </summary>
internal sealed partial class ConfirmationSender(IOptions<ClusterSettings> cluster, PartnerAuthMetrics metrics, ILogger<ConfirmationSender> logger)
{
    /// <summary>Enough for an activation to move to another silo; each pause is short.</summary>
    private const int MaxAttempts = 4;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    private readonly TimeSpan _deadline = TimeSpan.FromMilliseconds(cluster.Value.ConfirmationTimeoutMilliseconds);

    public async Task<ConfirmationVerdict[]> SendAsync(IPartnerGrain grain, TokenConfirmation[] batch)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var remaining = _deadline - Stopwatch.GetElapsedTime(started);
            try
            {
                var call = batch.Length == 1
                    ? SingleAsync(grain, batch[0])
                    : grain.ConfirmBatchAsync(batch);
                return await call.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
            catch (Exception ex) when (NeverReachedGrain(ex) && attempt < MaxAttempts && _deadline - Stopwatch.GetElapsedTime(started) > RetryPause)
            {
                metrics.ConfirmationRetried(ex.GetType().Name);
                LogRetrying(logger, grain.GetPrimaryKeyString(), batch.Length, attempt, ex.GetType().Name);
                await Task.Delay(RetryPause * attempt);
            }
        }
    }

    /// <summary>True for Orleans rejections: the runtime refused the message before grain code saw it.</summary>
    public static bool NeverReachedGrain(Exception exception) =>
        exception is OrleansMessageRejectionException or GatewayTooBusyException;

    private static async Task<ConfirmationVerdict[]> SingleAsync(IPartnerGrain grain, TokenConfirmation confirmation) =>
        [await grain.ConfirmAsync(confirmation)];

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information,
        Message = "Confirmations for partner {PartnerId} ({Count}) were rejected before reaching the grain (attempt {Attempt}: {Rejection}); sending again")]
    private static partial void LogRetrying(ILogger logger, string partnerId, int count, int attempt, string rejection);
}
