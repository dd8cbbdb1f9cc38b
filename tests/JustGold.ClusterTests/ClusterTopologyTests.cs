using System.Net;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>Two silos and two API nodes on one PostgreSQL: any node serves any partner.</summary>
public sealed class ClusterTopologyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Api_node_without_reachable_silos_serves_503_and_recovers_by_itself()
    {
        // No silo, not even the membership schema yet: the API starts anyway and fails closed.
        _cluster.StartApi(0);
        var api = _cluster.ApiClient(0);
        await _cluster.WaitUntilAsync("api0 answers /healthz", TimeSpan.FromSeconds(60), async () =>
        {
            try
            {
                return await api.GetStatusAsync("/healthz") == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        // The shared body shape: which check failed, never why.
        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"unavailable","checks":{"cluster":"unhealthy"}}"""),
            await _cluster.GetAsync(new Uri(api.BaseUri, "/readyz")));
        var (adminStatus, adminBody) = await api.GetAdminAsync("/admin/partners");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, adminStatus);
        Assert.Contains("service_unavailable", adminBody, StringComparison.Ordinal);
        using (var stranger = new PartnerSigner("nobody"))
        {
            stranger.SetKid("some-kid");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), await api.PingAsync(stranger.CreateToken()));
        }

        // Silos arrive: the same API process becomes ready without a restart.
        _cluster.StartSilo(0);
        _cluster.StartSilo(1);
        await _cluster.WaitSiloReadyAsync(0);
        await _cluster.WaitSiloReadyAsync(1);
        var recovery = await _cluster.WaitUntilAsync("api0 ready after silos started", TimeSpan.FromSeconds(60),
            async () => await api.GetStatusAsync("/readyz") == HttpStatusCode.OK);
        output.WriteLine($"api0 ready {recovery.TotalSeconds:0.0} s after both silos were ready");
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","checks":{"cluster":"healthy"}}"""),
            await _cluster.GetAsync(new Uri(api.BaseUri, "/readyz")));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","checks":{"cluster":"healthy","storage":"healthy"}}"""),
            await _cluster.GetAsync(new Uri(_cluster.SiloUri(0), "/readyz")));
        Assert.Equal((HttpStatusCode.OK, """{"status":"alive"}"""), await _cluster.GetAsync(new Uri(_cluster.SiloUri(1), "/healthz")));

        var partners = await TestPartners.CreateAsync(api, "early", 2);
        foreach (var partner in partners)
        {
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partner.CreateToken()));
        }

        // Every silo dies: the API node stays up and fails closed...
        _cluster.Silo(0).Kill();
        _cluster.Silo(1).Kill();
        await _cluster.WaitUntilAsync("api0 not ready once every silo is gone", TimeSpan.FromSeconds(30),
            async () => await api.GetStatusAsync("/readyz") == HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/healthz"));
        var (status, error) = await api.PingAsync(partners[0].CreateToken());
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), (status, error));

        // ...and reconnects by itself when they are back.
        _cluster.StartSilo(0);
        _cluster.StartSilo(1);
        await _cluster.WaitSiloReadyAsync(0);
        await _cluster.WaitSiloReadyAsync(1);
        await _cluster.WaitUntilAsync("api0 serving again after the silos restarted", TimeSpan.FromSeconds(60),
            async () => (await api.PingAsync(partners[1].CreateToken())).Status == HttpStatusCode.OK);
        Assert.False(_cluster.Api(0).HasExited);
        Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/readyz"));
    }

    [Fact]
    public async Task Partner_created_on_one_api_node_is_served_by_every_node_and_metrics_cover_all_processes()
    {
        _cluster.SiloSettings["Silo__Dashboard"] = "true";
        _cluster.SiloSettings["Admin__ApiKey"] = ClusterHarness.AdminKey;
        await _cluster.StartClusterAsync(silos: 2, apis: 2);
        var first = _cluster.ApiClient(0);
        var second = _cluster.ApiClient(1);

        // Enough partners that both silos hold some grains, wherever placement puts them.
        var partners = await TestPartners.CreateAsync(first, "topo", 12);
        foreach (var partner in partners)
        {
            var token = partner.CreateToken();
            Assert.Equal((HttpStatusCode.OK, null), await first.PingAsync(token));
            // The other API node shares the same grain, so the same jti is a replay there too.
            Assert.Equal((HttpStatusCode.Unauthorized, "replayed_token"), await second.PingAsync(token));
            Assert.Equal((HttpStatusCode.OK, null), await second.PingAsync(partner.CreateToken()));
        }

        // The second node sees the same state: partner list, keys, audit trail.
        var (listStatus, list) = await second.GetAdminAsync("/admin/partners");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.All(partners, p => Assert.Contains($"\"id\":\"{p.PartnerId}\"", list, StringComparison.Ordinal));
        var (keysStatus, keys) = await second.GetAdminAsync($"/admin/partners/{partners[0].PartnerId}/keys");
        Assert.Equal(HttpStatusCode.OK, keysStatus);
        Assert.Contains(partners[0].Kid!, keys, StringComparison.Ordinal);

        // A revocation through the second node holds on the first from the next request on.
        Assert.Equal(HttpStatusCode.NoContent, await second.RevokeKeyAsync(partners[1].PartnerId, partners[1].Kid!));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_signature"), await first.PingAsync(partners[1].CreateToken()));
        var (auditStatus, audit) = await first.GetAdminAsync($"/admin/partners/{partners[1].PartnerId}/audit");
        Assert.Equal(HttpStatusCode.OK, auditStatus);
        Assert.Contains("revoked", audit, StringComparison.Ordinal);

        // Metrics: verifications and latency on the API nodes, grains and group commits on the silos.
        var firstMetrics = await first.GetTextAsync("/metrics");
        var secondMetrics = await second.GetTextAsync("/metrics");
        Assert.Contains("partner_auth_verifications_total{", firstMetrics, StringComparison.Ordinal);
        Assert.Contains("result=\"ok\"", firstMetrics, StringComparison.Ordinal);
        Assert.Contains("result=\"replayed_token\"", secondMetrics, StringComparison.Ordinal);
        Assert.Contains("partner_auth_verification_duration_seconds_bucket{", firstMetrics, StringComparison.Ordinal);

        var siloMetrics = new[]
        {
            await _cluster.Http.GetStringAsync(new Uri(_cluster.SiloUri(0), "/metrics")),
            await _cluster.Http.GetStringAsync(new Uri(_cluster.SiloUri(1), "/metrics")),
        };
        var grains = siloMetrics.Select(m => TestPartners.Sample(m, "partner_auth_partner_grains_active")).ToArray();
        var written = siloMetrics.Sum(m => TestPartners.Sample(m, "partner_auth_replay_records_written_total"));
        output.WriteLine($"active partner grains per silo: {string.Join(", ", grains)}; replay records written: {written}");
        Assert.True(grains.Sum() >= partners.Count, $"active partner grains {grains.Sum()} < {partners.Count}");
        Assert.Equal(partners.Count * 2, written);
        Assert.Contains(siloMetrics, m => m.Contains("partner_auth_replay_records_batch_size_bucket{", StringComparison.Ordinal));

        // The Orleans dashboard is served on the silos, only to the operator key (header or a browser's Basic sign-in).
        var dashboard = new Uri(_cluster.SiloUri(0), "/dashboard/");
        using (var anonymous = await _cluster.Http.GetAsync(dashboard))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        foreach (var (header, value) in new[]
        {
            ("X-Admin-Key", ClusterHarness.AdminKey),
            ("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("operator:" + ClusterHarness.AdminKey))),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, dashboard);
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await _cluster.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{header}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
            Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
        }

        using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, dashboard))
        {
            wrongKey.Headers.Add("X-Admin-Key", "not-the-key");
            using var response = await _cluster.Http.SendAsync(wrongKey);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
