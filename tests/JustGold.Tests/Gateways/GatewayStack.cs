using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Gateways;

/// <summary>
/// A gateway with its shipped config in front of an echo upstream, asking the real API on each
/// request; one per test class.
/// </summary>
public abstract class GatewayStack : IAsyncLifetime
{
    private GatewayProcess? _gateway;

    public KestrelApi Api { get; private set; } = null!;

    public EchoUpstream Upstream { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Starts the gateway asking the API on <paramref name="authPort"/> and passing to <paramref name="upstreamPort"/>.</summary>
    public abstract Task<GatewayProcess> StartGatewayAsync(int authPort, int upstreamPort);

    public async Task InitializeAsync()
    {
        Api = KestrelApi.Start();
        Upstream = await EchoUpstream.StartAsync();
        _gateway = await StartGatewayAsync(Api.Port, Upstream.Port);
        Client = new HttpClient { BaseAddress = _gateway.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        await Api.DisposeAsync();
    }
}

public sealed class NginxStack : GatewayStack
{
    public override Task<GatewayProcess> StartGatewayAsync(int authPort, int upstreamPort) => NginxGateway.StartAsync(authPort, upstreamPort);
}

public sealed class CaddyStack : GatewayStack
{
    public override Task<GatewayProcess> StartGatewayAsync(int authPort, int upstreamPort) => CaddyGateway.StartAsync(authPort, upstreamPort);
}
