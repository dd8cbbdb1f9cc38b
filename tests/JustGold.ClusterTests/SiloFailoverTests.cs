using System.Diagnostics;
using System.Net;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>A silo is killed (<c>kill -9</c>) while traffic flows: fail closed, then fail over.</summary>
public sealed class SiloFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan MaxOutage = TimeSpan.FromSeconds(60);
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_a_silo_under_traffic_fails_closed_then_the_survivor_serves_and_no_token_is_accepted_twice()
    {
        await _cluster.StartClusterAsync(silos: 2, apis: 1);
        var api = _cluster.ApiClient(0);
        var partners = await TestPartners.CreateAsync(api, "failover", 8);

        // A second key for partner 0, revoked before the kill: the revocation must survive it.
        using var revoked = new PartnerSigner(partners[0].PartnerId);
        revoked.SetKid(await api.UploadKeyAsync(revoked.PartnerId, revoked.PublicKeyPem));
        Assert.Equal(HttpStatusCode.NoContent, await api.RevokeKeyAsync(revoked.PartnerId, revoked.Kid!));

        // Activate every partner's grain, then kill the silo that holds the most of them.
        var accepted = new List<string>();
        foreach (var partner in partners)
        {
            var token = partner.CreateToken();
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(token));
            accepted.Add(token);
        }

        var grains = new double[2];
        for (var i = 0; i < 2; i++)
        {
            grains[i] = TestPartners.Sample(await _cluster.Http.GetStringAsync(new Uri(_cluster.SiloUri(i), "/metrics")), "partner_auth_partner_grains_active");
        }

        var victim = grains[0] >= grains[1] ? 0 : 1;
        output.WriteLine($"partner grains per silo: {grains[0]}, {grains[1]}; killing silo{victim}");

        const int KillAfter = 80;
        const int MaxRequests = 400;
        var statuses = new Dictionary<string, int>();
        var killedAt = TimeSpan.Zero;
        var lastRefusal = TimeSpan.Zero;
        var acceptedBeforeKill = 0;
        var clock = Stopwatch.StartNew();
        var random = new Random(7);
        for (var i = 0; i < MaxRequests; i++)
        {
            if (killedAt != TimeSpan.Zero && clock.Elapsed - killedAt > MaxOutage)
            {
                break;
            }

            if (i == KillAfter)
            {
                acceptedBeforeKill = accepted.Count;
                _cluster.Silo(victim).Kill();
                killedAt = clock.Elapsed;
            }

            // Every fourth request replays an accepted token: never a 200, whatever the cluster's state.
            if (i % 4 == 3)
            {
                var (replayStatus, replayError) = await api.PingAsync(accepted[random.Next(accepted.Count)]);
                Count(statuses, $"replay {(int)replayStatus} {replayError}");
                Assert.True(
                    (replayStatus, replayError) is (HttpStatusCode.Unauthorized, "replayed_token") or (HttpStatusCode.ServiceUnavailable, "service_unavailable"),
                    $"replayed token answered {(int)replayStatus} {replayError}");
                continue;
            }

            var token = partners[i % partners.Count].CreateToken();
            var (status, error) = await api.PingAsync(token);
            Count(statuses, $"fresh {(int)status} {error}");
            Assert.True(
                (status, error) is (HttpStatusCode.OK, null) or (HttpStatusCode.ServiceUnavailable, "service_unavailable"),
                $"fresh token answered {(int)status} {error}");
            if (status == HttpStatusCode.OK)
            {
                accepted.Add(token);
            }
            else
            {
                lastRefusal = clock.Elapsed;
            }
        }

        Assert.NotEqual(TimeSpan.Zero, killedAt);
        output.WriteLine(string.Join(Environment.NewLine, statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        var outage = lastRefusal > killedAt ? lastRefusal - killedAt : TimeSpan.Zero;
        output.WriteLine($"503s ended {outage.TotalSeconds:0.0} s after the kill");

        // Every partner is served again by the survivor, within a bounded time of the kill.
        foreach (var partner in partners)
        {
            await _cluster.WaitUntilAsync($"{partner.PartnerId} served after the kill", MaxOutage, async () =>
            {
                var token = partner.CreateToken();
                var (status, error) = await api.PingAsync(token);
                Assert.True((status, error) is (HttpStatusCode.OK, null) or (HttpStatusCode.ServiceUnavailable, "service_unavailable"), $"{(int)status} {error}");
                if (status == HttpStatusCode.OK)
                {
                    accepted.Add(token);
                }

                return status == HttpStatusCode.OK;
            });
        }

        Assert.True(clock.Elapsed - killedAt < MaxOutage + MaxOutage, "recovery took too long");

        // Every token accepted, before the kill or after, is refused as a replay now.
        output.WriteLine($"replaying {accepted.Count} accepted tokens ({acceptedBeforeKill} from before the kill)");
        foreach (var token in accepted)
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "replayed_token"), await api.PingAsync(token));
        }

        // Keys and revocations survived: the revoked key verifies nothing, the active ones work.
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_signature"), await api.PingAsync(revoked.CreateToken()));
        var (partnerStatus, partnerBody) = await api.GetAdminAsync($"/admin/partners/{revoked.PartnerId}");
        Assert.Equal(HttpStatusCode.OK, partnerStatus);
        Assert.Contains("\"status\":\"revoked\"", partnerBody, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partners[0].CreateToken()));

        // The cluster is whole again once the dead silo's replacement joins.
        _cluster.StartSilo(victim);
        await _cluster.WaitSiloReadyAsync(victim);
        Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/readyz"));
    }

    private static void Count(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
