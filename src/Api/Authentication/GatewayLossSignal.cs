namespace JustGold.Api.Authentication;

/// <summary>
/// Tells, at once, that one of this API node's gateway connections dropped. Orleans counts the
/// open gateway connections and reports every change to <see cref="IClusterConnectionStatusObserver"/>
/// (a killed silo's sockets are closed by its kernel, so the drop is seen within milliseconds),
/// but it does not fail the calls that were waiting for an answer through that connection: they
/// would wait for the cluster's response timeout. Callers take <see cref="Token"/> before a call;
/// it is cancelled when a connection drops while they wait.
/// </summary>
internal sealed class GatewayLossSignal : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled by the next gateway connection loss.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            Signal();
        }
    }

    public void NotifyClusterConnectionLost() => Signal();

    // The old source is not disposed: callers may still be registering on its token.
    private void Signal() => Interlocked.Exchange(ref _current, new CancellationTokenSource()).Cancel();
}
