using System.Net;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>Onboards partners with one P-256 key each through an API node.</summary>
public static class TestPartners
{
    public static async Task<List<PartnerSigner>> CreateAsync(ApiClient api, string prefix, int count)
    {
        var partners = new List<PartnerSigner>(count);
        for (var i = 0; i < count; i++)
        {
            var signer = new PartnerSigner($"{prefix}-{i}");
            Assert.Equal(HttpStatusCode.Created, await api.PutPartnerAsync(signer.PartnerId, $"Partner {i}"));
            signer.SetKid(await api.UploadKeyAsync(signer.PartnerId, signer.PublicKeyPem));
            partners.Add(signer);
        }

        return partners;
    }

    /// <summary>
    /// Activates each partner's grain with a first accepted token. On a loaded machine a first
    /// activation can outlast the 1 s confirmation deadline (a fast 503), so this retries for a while.
    /// </summary>
    public static async Task WarmUpAsync(ClusterHarness cluster, ApiClient api, IEnumerable<PartnerSigner> partners)
    {
        foreach (var partner in partners)
        {
            await cluster.WaitUntilAsync($"{partner.PartnerId} served", TimeSpan.FromSeconds(30), async () =>
            {
                var (status, error) = await api.PingAsync(partner.CreateToken());
                Assert.True((status, error) is (HttpStatusCode.OK, null) or (HttpStatusCode.ServiceUnavailable, "service_unavailable"), $"{(int)status} {error}");
                return status == HttpStatusCode.OK;
            });
        }
    }

    /// <summary>Sum of a Prometheus sample over every series with that name (0 when absent).</summary>
    public static double Sample(string metrics, string name) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' '))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Sum();
}
