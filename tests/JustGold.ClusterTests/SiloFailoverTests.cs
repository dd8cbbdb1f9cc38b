using System.Net;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>A silo is killed (<c>kill -9</c>) under traffic: its partners get fast 503s for seconds, then the survivor serves them.</summary>
public sealed class SiloFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Served again within 5 s. A call waiting through the dead silo's gateway is cut short
    /// 0.5 s after that connection drops; one another silo had forwarded to it is lost silently
    /// and waits for the 2 s confirmation timeout, plus the machine's own delays.
    /// </summary>
    private static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxAnswer = TimeSpan.FromSeconds(2.5);
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_a_silo_under_traffic_costs_its_partners_seconds_of_fast_503s_and_no_token_is_accepted_twice()
    {
        await _cluster.StartClusterAsync(silos: 2, apis: 1);
        var api = _cluster.ApiClient(0);
        var partners = await TestPartners.CreateAsync(api, "failover", 8);

        // A second key for partner 0, revoked before the kill: the revocation must survive it.
        using var revoked = new PartnerSigner(partners[0].PartnerId);
        revoked.SetKid(await api.UploadKeyAsync(revoked.PartnerId, revoked.PublicKeyPem));
        Assert.Equal(HttpStatusCode.NoContent, await api.RevokeKeyAsync(revoked.PartnerId, revoked.Kid!));
        await TestPartners.WarmUpAsync(_cluster, api, partners);

        // The Orleans dashboard is off unless a silo is told otherwise.
        using (var dashboard = await _cluster.Http.GetAsync(new Uri(_cluster.SiloUri(0), "/dashboard/")))
        {
            Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        }

        var grains = await _cluster.PartnerGrainsPerSiloAsync(2);
        var victim = grains[0] >= grains[1] ? 0 : 1;
        output.WriteLine($"partner grains per silo: {string.Join(", ", grains)}; killing silo{victim}");

        var traffic = Traffic.Start(api, partners);
        await traffic.RunForAsync(TimeSpan.FromSeconds(3));
        var killedAt = traffic.Now;
        _cluster.Silo(victim).Kill();
        await traffic.RunForAsync(TimeSpan.FromSeconds(12));
        await traffic.StopAsync();
        var before = TrafficReport.From(traffic.Answers, TimeSpan.Zero, killedAt);
        var after = TrafficReport.From(traffic.Answers, killedAt, traffic.Now);
        output.WriteLine($"before the kill: {before}");
        output.WriteLine($"after the kill:  {after}");
        output.WriteLine(await _cluster.MetricAsync(0, "partner_auth_unavailable_total"));

        Assert.Empty(traffic.Violations);
        Assert.Equal(0, before.Unavailable);
        Assert.True(after.Window <= MaxWindow, $"partners unserved for {after.Window.TotalSeconds:0.00} s after the kill (at most {MaxWindow.TotalSeconds} s)");
        Assert.True(after.Slowest <= MaxAnswer, $"an answer took {after.Slowest.TotalMilliseconds:0} ms after the kill (at most {MaxAnswer.TotalMilliseconds} ms)");

        // Every token accepted around the kill, and a sample of the others, is a replay now.
        await ClusterAssert.ReplaysRefusedAsync(api, traffic, killedAt, output);

        // Keys and revocations survived: the revoked key verifies nothing, the active ones work.
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_signature"), await api.PingAsync(revoked.CreateToken()));
        var (partnerStatus, partnerBody) = await api.GetAdminAsync($"/admin/partners/{revoked.PartnerId}");
        Assert.Equal(HttpStatusCode.OK, partnerStatus);
        Assert.Contains("\"status\":\"revoked\"", partnerBody, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partners[0].CreateToken()));

        // The replacement joins and the rebalancer hands it half the grains (to within one) under traffic,
        // so the next failure again costs only the partners on the silo that dies.
        _cluster.StartSilo(victim);
        await _cluster.WaitSiloReadyAsync(victim);
        Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/readyz"));
        var second = Traffic.Start(api, partners);
        await _cluster.WaitUntilAsync($"partner grains spread again after silo{victim} returned", TimeSpan.FromSeconds(45), async () =>
        {
            var grains = await _cluster.PartnerGrainsPerSiloAsync(2);
            return grains.Sum() >= partners.Count && grains.Max() - grains.Min() <= 1;
        });
        var spreadAfter = second.Now;
        var survivor = 1 - victim;
        output.WriteLine($"grains spread {spreadAfter.TotalSeconds:0.0} s after silo{victim} was ready again: {string.Join(", ", await _cluster.PartnerGrainsPerSiloAsync(2))}; killing silo{survivor}");
        await second.RunForAsync(TimeSpan.FromSeconds(2));
        var secondKill = second.Now;
        _cluster.Silo(survivor).Kill();
        await second.RunForAsync(TimeSpan.FromSeconds(10));
        await second.StopAsync();
        var returned = TrafficReport.From(second.Answers, TimeSpan.Zero, secondKill);
        var afterSecond = TrafficReport.From(second.Answers, secondKill, second.Now);
        output.WriteLine($"while the grains moved back: {returned}");
        output.WriteLine($"after the second kill: {afterSecond}");

        Assert.Empty(second.Violations);
        Assert.Equal(0, returned.Unavailable);
        Assert.True(afterSecond.Window <= MaxWindow, $"partners unserved for {afterSecond.Window.TotalSeconds:0.00} s after the second kill");
        Assert.True(afterSecond.Slowest <= MaxAnswer, $"an answer took {afterSecond.Slowest.TotalMilliseconds:0} ms after the second kill");
        await ClusterAssert.ReplaysRefusedAsync(api, second, secondKill, output);
    }
}
