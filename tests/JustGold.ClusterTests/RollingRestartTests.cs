using System.Diagnostics;
using System.Net;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>
/// Each silo in turn is stopped gracefully (SIGTERM), and started again once it is gone, while
/// traffic flows: partners notice nothing, and their grains spread over both silos again after.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan MaxAnswer = TimeSpan.FromSeconds(1);

    /// <summary>Rebalancing looks 5 s after a silo starts, then every 3 s; it took 2–4 s after the last silo was ready (docs/cluster.md).</summary>
    private static readonly TimeSpan MaxSpread = TimeSpan.FromSeconds(45);
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_rolling_restart_under_traffic_answers_no_503_and_nothing_slower_than_a_second()
    {
        await _cluster.StartClusterAsync(silos: 2, apis: 1);
        var api = _cluster.ApiClient(0);
        var partners = await TestPartners.CreateAsync(api, "rolling", 8);
        await TestPartners.WarmUpAsync(_cluster, api, partners);

        output.WriteLine($"partner grains per silo: {string.Join(", ", await _cluster.PartnerGrainsPerSiloAsync(2))}");
        var traffic = Traffic.Start(api, partners, maxDuration: TimeSpan.FromSeconds(150));
        await traffic.RunForAsync(TimeSpan.FromSeconds(3));
        var started = traffic.Now;
        var stops = new List<TimeSpan>();
        var lastReady = TimeSpan.Zero;
        for (var silo = 0; silo < 2; silo++)
        {
            stops.Add(traffic.Now);
            var stopping = Stopwatch.StartNew();
            await _cluster.Silo(silo).StopAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"silo{silo} stopped in {stopping.Elapsed.TotalSeconds:0.0} s (SIGTERM at {stops[^1].TotalSeconds:0.0} s)");
            await traffic.RunForAsync(TimeSpan.FromSeconds(1));
            _cluster.StartSilo(silo);
            await _cluster.WaitSiloReadyAsync(silo);
            lastReady = traffic.Now;
            output.WriteLine($"silo{silo} ready again at {traffic.Now.TotalSeconds:0.0} s; grains per silo: {string.Join(", ", await _cluster.PartnerGrainsPerSiloAsync(2))}");
            await traffic.RunForAsync(TimeSpan.FromSeconds(3));
        }

        // The last silo to restart came back empty: the rebalancer spreads the grains again, under the same traffic.
        var returned = traffic.Now;
        await _cluster.WaitUntilAsync("partner grains spread over both silos", MaxSpread, async () =>
        {
            var grains = await _cluster.PartnerGrainsPerSiloAsync(2);
            return grains.Sum() >= partners.Count && grains.Max() - grains.Min() <= 1;
        });
        var spread = traffic.Now - lastReady;
        output.WriteLine($"grains spread {spread.TotalSeconds:0.0} s after the last silo was ready again: {string.Join(", ", await _cluster.PartnerGrainsPerSiloAsync(2))}");
        await traffic.RunForAsync(TimeSpan.FromSeconds(2));
        await traffic.StopAsync();
        var report = TrafficReport.From(traffic.Answers, started, traffic.Now);
        output.WriteLine($"during the rolling restart and the rebalancing: {report}");
        output.WriteLine($"while the grains moved back: {TrafficReport.From(traffic.Answers, returned, traffic.Now)}");
        foreach (var answer in traffic.Answers.Where(a => a.Status != HttpStatusCode.OK && !a.Replay || a.Latency > MaxAnswer).Take(20))
        {
            output.WriteLine($"  {answer.At.TotalSeconds:0.00} s +{answer.Latency.TotalMilliseconds:0} ms {answer.Partner}: {(int)answer.Status} {answer.Error}");
        }

        output.WriteLine(await _cluster.MetricAsync(0, "partner_auth_unavailable_total"));
        output.WriteLine(await _cluster.MetricAsync(0, "partner_auth_confirmations_retried_total"));
        for (var silo = 0; silo < 2; silo++)
        {
            output.WriteLine(await _cluster.SiloMetricAsync(silo, "partner_auth_partner_grains_deactivated_total"));
        }

        Assert.Empty(traffic.Violations);
        Assert.Equal(0, report.Unavailable);
        Assert.True(report.Slowest <= MaxAnswer, $"an answer took {report.Slowest.TotalMilliseconds:0} ms during the rolling restart");
        await ClusterAssert.ReplaysRefusedAsync(api, traffic, stops[0], output);
    }
}
