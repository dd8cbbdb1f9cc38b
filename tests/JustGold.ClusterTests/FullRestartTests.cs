using System.Net;
using System.Text.RegularExpressions;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>Every silo and API node dies at once (<c>kill -9</c>) and starts again.</summary>
public sealed partial class FullRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Full_cluster_restart_keeps_partners_keys_audit_trail_and_accepted_jti()
    {
        await _cluster.StartClusterAsync(silos: 2, apis: 1);
        var api = _cluster.ApiClient(0);
        var partners = await TestPartners.CreateAsync(api, "restart", 4);
        using var retired = new PartnerSigner(partners[0].PartnerId);
        retired.SetKid(await api.UploadKeyAsync(retired.PartnerId, retired.PublicKeyPem));
        Assert.Equal(HttpStatusCode.NoContent, await api.RevokeKeyAsync(retired.PartnerId, retired.Kid!));

        var accepted = new List<string>();
        foreach (var partner in partners)
        {
            for (var i = 0; i < 5; i++)
            {
                var token = partner.CreateToken();
                Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(token));
                accepted.Add(token);
            }
        }

        var before = await SnapshotAsync(api, partners);

        // Crash everything: no process gets to flush or say goodbye.
        _cluster.Api(0).Kill();
        _cluster.Silo(0).Kill();
        _cluster.Silo(1).Kill();
        await _cluster.Api(0).WaitForExitAsync(TimeSpan.FromSeconds(10));
        await _cluster.Silo(0).WaitForExitAsync(TimeSpan.FromSeconds(10));
        await _cluster.Silo(1).WaitForExitAsync(TimeSpan.FromSeconds(10));

        await _cluster.StartClusterAsync(silos: 2, apis: 1);

        Assert.Equal(before, await SnapshotAsync(api, partners));
        foreach (var token in accepted)
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "replayed_token"), await api.PingAsync(token));
        }

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_signature"), await api.PingAsync(retired.CreateToken()));
        foreach (var partner in partners)
        {
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partner.CreateToken()));
        }
    }

    /// <summary>The partner list, each partner's keys (JWKS with status) and audit trail, as the operator API shows them.</summary>
    private static async Task<string> SnapshotAsync(ApiClient api, IEnumerable<PartnerSigner> partners)
    {
        var parts = new List<string>();
        var (status, list) = await api.GetAdminAsync("/admin/partners");
        Assert.Equal(HttpStatusCode.OK, status);
        parts.Add(list);
        foreach (var partner in partners)
        {
            foreach (var path in new[] { $"/admin/partners/{partner.PartnerId}/keys", $"/admin/partners/{partner.PartnerId}/audit" })
            {
                var (partStatus, body) = await api.GetAdminAsync(path);
                Assert.Equal(HttpStatusCode.OK, partStatus);
                parts.Add(body);
            }
        }

        Assert.Contains("\"revoked\"", parts[2], StringComparison.Ordinal);

        // Storage keeps milliseconds; a grain that has not been reloaded still shows ticks.
        return Fraction().Replace(string.Join(Environment.NewLine, parts), m => m.Groups[1].Value + "." + m.Groups[2].Value.PadRight(3, '0')[..3]);
    }

    [GeneratedRegex(@"(T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?=[+Z])")]
    private static partial Regex Fraction();
}
