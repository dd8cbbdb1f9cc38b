using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Gateways;

/// <summary>A gateway between a client and an echo upstream, asking the real API on each request.</summary>
public interface IGatewayStack
{
    KestrelApi Api { get; }

    EchoUpstream Upstream { get; }

    HttpClient Client { get; }
}

/// <summary>nginx with the shipped config in front of an echo upstream, asking the real API; one per test class.</summary>
public sealed class NginxStack : IAsyncLifetime, IGatewayStack
{
    private NginxGateway? _nginx;

    public KestrelApi Api { get; private set; } = null!;

    public EchoUpstream Upstream { get; private set; } = null!;

    public NginxGateway Nginx => _nginx!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = KestrelApi.Start();
        Upstream = await EchoUpstream.StartAsync();
        _nginx = await NginxGateway.StartAsync(Api.Port, Upstream.Port);
        Client = new HttpClient { BaseAddress = _nginx.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        await Api.DisposeAsync();
    }
}
