using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// The real API (embedded silo and all) on real Kestrel sockets on 127.0.0.1, for gateways and
/// clients that are separate processes or separate hosts. Counts the TCP connections Kestrel
/// accepts, from Kestrel's own metrics.
/// </summary>
public sealed class KestrelApi : IAsyncDisposable
{
    private readonly ApiFactory _factory;
    private readonly MeterListener _listener = new();
    private long _connections;

    private KestrelApi(ApiFactory factory, int port, int? http2Port)
    {
        _factory = factory;
        Port = port;
        Http2Port = http2Port;
    }

    public int Port { get; }

    /// <summary>An HTTP/2-only (h2c) endpoint, as Envoy's gRPC ext_authz needs; null unless asked for.</summary>
    public int? Http2Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => _factory.Clock;

    /// <summary>Connections Kestrel has accepted since start.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connections);

    public static KestrelApi Start(bool withHttp2 = false, IDictionary<string, string?>? settings = null)
    {
        var factory = new ApiFactory(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock(), settings);
        var port = FreePorts.Next();
        int? http2Port = withHttp2 ? FreePorts.Next() : null;
        factory.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            if (http2Port is { } h2)
            {
                o.Listen(IPAddress.Loopback, h2, l => l.Protocols = HttpProtocols.Http2);
            }
        });
        factory.StartServer();
        var api = new KestrelApi(factory, port, http2Port);
        api.CountConnections(factory.Services.GetRequiredService<IMeterFactory>());
        return api;
    }

    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Admin-Key", ApiFactory.AdminKey);
        return client;
    }

    public async Task<string> CreatePartnerAsync(params TestKey[] keys)
    {
        var partner = ApiFixture.NewPartnerId();
        using var admin = CreateAdminClient();
        await admin.RegisterPartnerAsync(partner, keys);
        return partner;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _factory.DisposeAsync();
        ApiFixture.TryDelete(_factory.DataDirectory);
    }

    private void CountConnections(IMeterFactory meters)
    {
        // kestrel.active_connections goes up by one for every accepted connection.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "kestrel.active_connections")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (value > 0)
            {
                Interlocked.Add(ref _connections, value);
            }
        });
        _listener.Start();
    }
}
