using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using JustGold.Api.Authentication;
using JustGold.Grains.Contracts;
using JustGold.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JustGold.Benchmarks;

/// <summary>
/// The replay step alone, through the real parts of the embedded product: the API node's
/// <see cref="ConfirmationBatcher"/> and <see cref="ConfirmationSender"/>, an in-process Orleans silo,
/// the partner grains and, when <see cref="Durable"/>, the replay record writer with its journal in a
/// temporary folder. <see cref="InFlight"/> callers each confirm one token after another, spread over
/// 100 partners, as wrk's 64 connections do, so group commits form as they do under load.
/// <para>
/// Why it exists: end-to-end CPU per request on this shared machine drifts by more than the durable
/// write costs. What this counts does not drift: thread-pool work items (the hops) and lock contentions
/// per confirmation (<see cref="ThreadingDiagnoser"/>), bytes allocated (<see cref="MemoryDiagnoser"/>);
/// the time per confirmation is the closed loop's wall time, so it includes the commit delay.
/// </para>
/// </summary>
[ThreadingDiagnoser]
public class ConfirmationRoundTripBenchmarks
{
    private const int Partners = 100;
    private const int InFlight = 64;
    private const int PerCaller = 40;

    private IHost? _host;
    private ConfirmationBatcher? _batcher;
    private DirectoryInfo? _data;
    private string[] _partnerIds = [];
    private string _kid = "";
    private long _nextJti;

    [Params(false, true)]
    public bool Durable { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = Directory.CreateTempSubdirectory("justgold-roundtrip-bench-");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _data.FullName,
            ["Storage:DurableReplayRecords"] = Durable ? "true" : "false",
            ["Cluster:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.UseOrleans(silo => silo.AddPartnerAuthSilo(builder.Configuration));
        builder.Services.AddPartnerTokenVerification();
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();

        // One key pair for every partner: a kid is unique within a partner, and 100 RSA keys would take a while.
        var key = BenchKey.Create("RS256");
        _kid = key.Stored.Kid;
        var grains = _host.Services.GetRequiredService<IGrainFactory>();
        _partnerIds = [.. Enumerable.Range(0, Partners).Select(i => $"bench-roundtrip-{i:D3}")];
        foreach (var id in _partnerIds)
        {
            var grain = grains.GetGrain<IPartnerGrain>(id);
            grain.UpsertAsync(new PartnerUpdate("bench", PartnerStatus.Active)).GetAwaiter().GetResult();
            grain.AddKeyAsync(key.Stored, "bench").GetAwaiter().GetResult();
        }

        _batcher = _host.Services.GetRequiredService<ConfirmationBatcher>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_host is not null)
        {
            _host.StopAsync().GetAwaiter().GetResult();
            _host.Dispose();
        }

        _data?.Delete(recursive: true);
    }

    /// <summary>Every confirmation a fresh jti: each one is accepted, and durable ones are written.</summary>
    [Benchmark(OperationsPerInvoke = InFlight * PerCaller)]
    public Task Confirm()
    {
        var callers = new Task[InFlight];
        for (var i = 0; i < InFlight; i++)
        {
            callers[i] = CallerAsync(i);
        }

        return Task.WhenAll(callers);
    }

    private async Task CallerAsync(int caller)
    {
        await Task.Yield();
        var expiresAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600;
        for (var n = 0; n < PerCaller; n++)
        {
            var number = Interlocked.Increment(ref _nextJti);
            var partner = _partnerIds[(int)((number + caller) % Partners)];
            var verdict = await _batcher!.ConfirmAsync(partner, new TokenConfirmation(_kid, $"jti-{number}", expiresAt));
            if (verdict != ConfirmationVerdict.Accepted)
            {
                throw new InvalidOperationException($"Confirmation {number} was answered {verdict}, not Accepted.");
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
