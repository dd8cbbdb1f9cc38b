using System.Net;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>PostgreSQL goes away under a running cluster and comes back.</summary>
public sealed class PostgresOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task With_PostgreSQL_down_no_token_is_accepted_and_after_it_returns_the_cluster_recovers_without_restarts()
    {
        await _cluster.StartClusterAsync(silos: 2, apis: 1);
        var api = _cluster.ApiClient(0);
        var partners = await TestPartners.CreateAsync(api, "outage", 4);
        var accepted = new List<string>();
        foreach (var partner in partners)
        {
            var token = partner.CreateToken();
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(token));
            accepted.Add(token);
        }

        var (_, auditBefore) = await api.GetAdminAsync($"/admin/partners/{partners[0].PartnerId}/audit");
        var pids = new[] { _cluster.Silo(0).Pid, _cluster.Silo(1).Pid, _cluster.Api(0).Pid };

        await _cluster.Postgres.StopAsync();

        // Fail closed: fresh tokens cannot be made durable, so none is accepted; replays stay refused.
        var refused = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var token = partners[i % partners.Count].CreateToken();
            var answer = await api.PingAsync(token);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), answer);
            refused.Add(token);
            var replay = await api.PingAsync(accepted[i % accepted.Count]);
            Assert.NotEqual(HttpStatusCode.OK, replay.Status);
        }

        // Both kinds of process say which check failed in the same shape, and no storage error text.
        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"unavailable","checks":{"cluster":"unhealthy"}}"""),
            await _cluster.GetAsync(new Uri(api.BaseUri, "/readyz")));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"unavailable","checks":{"cluster":"healthy","storage":"unhealthy"}}"""),
                await _cluster.GetAsync(new Uri(_cluster.SiloUri(i), "/readyz")));
            Assert.Equal((HttpStatusCode.OK, """{"status":"alive"}"""), await _cluster.GetAsync(new Uri(_cluster.SiloUri(i), "/healthz")));
        }

        using (var newcomer = new PartnerSigner("outage-new"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await api.PutPartnerAsync(newcomer.PartnerId, "Too early"));
        }

        await _cluster.Postgres.StartAgainAsync();

        // The same processes recover by themselves.
        var recovery = await _cluster.WaitUntilAsync("a fresh token accepted after PostgreSQL returned", TimeSpan.FromSeconds(60), async () =>
        {
            var (status, error) = await api.PingAsync(partners[0].CreateToken());
            Assert.True((status, error) is (HttpStatusCode.OK, null) or (HttpStatusCode.ServiceUnavailable, "service_unavailable"), $"{(int)status} {error}");
            return status == HttpStatusCode.OK;
        });
        output.WriteLine($"recovered {recovery.TotalSeconds:0.0} s after PostgreSQL started again");
        await _cluster.WaitUntilAsync("api0 ready again", TimeSpan.FromSeconds(30), async () => await api.GetStatusAsync("/readyz") == HttpStatusCode.OK);
        await _cluster.WaitSiloReadyAsync(0, TimeSpan.FromSeconds(30));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","checks":{"cluster":"healthy","storage":"healthy"}}"""),
            await _cluster.GetAsync(new Uri(_cluster.SiloUri(0), "/readyz")));
        Assert.Equal(pids, new[] { _cluster.Silo(0).Pid, _cluster.Silo(1).Pid, _cluster.Api(0).Pid });
        Assert.False(_cluster.Silo(0).HasExited || _cluster.Silo(1).HasExited || _cluster.Api(0).HasExited);

        // Nothing lost: accepted jti still refused, audit trail intact, every partner served.
        foreach (var token in accepted)
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "replayed_token"), await api.PingAsync(token));
        }

        var (auditStatus, auditAfter) = await api.GetAdminAsync($"/admin/partners/{partners[0].PartnerId}/audit");
        Assert.Equal(HttpStatusCode.OK, auditStatus);
        Assert.Equal(auditBefore, auditAfter);
        foreach (var partner in partners)
        {
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partner.CreateToken()));
        }

        // A token refused during the outage was never recorded, so its jti is still usable.
        Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(refused[0]));
        Assert.Equal(HttpStatusCode.Created, await api.PutPartnerAsync("outage-new", "After the outage"));
    }
}
