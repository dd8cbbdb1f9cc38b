using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Gateways;

/// <summary>A running gateway process: where clients reach it, and how it is stopped.</summary>
public sealed record RunningGateway(Uri Url, IAsyncDisposable Process);

/// <summary>
/// A gateway with its shipped config in front of an echo upstream, asking the real API on each
/// request; one per test class.
/// </summary>
public abstract class GatewayStack : IAsyncLifetime
{
    private RunningGateway? _gateway;

    public KestrelApi Api { get; private set; } = null!;

    public EchoUpstream Upstream { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Starts the gateway asking the API on <paramref name="authPort"/> and passing to <paramref name="upstreamPort"/>.</summary>
    public abstract Task<RunningGateway> StartGatewayAsync(int authPort, int upstreamPort);

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
            await _gateway.Process.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        await Api.DisposeAsync();
    }
}

public sealed class NginxStack : GatewayStack
{
    public override async Task<RunningGateway> StartGatewayAsync(int authPort, int upstreamPort)
    {
        var nginx = await NginxGateway.StartAsync(authPort, upstreamPort);
        return new RunningGateway(nginx.Url, nginx);
    }
}

public sealed class CaddyStack : GatewayStack
{
    public override async Task<RunningGateway> StartGatewayAsync(int authPort, int upstreamPort)
    {
        var caddy = await CaddyGateway.StartAsync(authPort, upstreamPort);
        return new RunningGateway(caddy.Url, caddy);
    }
}
