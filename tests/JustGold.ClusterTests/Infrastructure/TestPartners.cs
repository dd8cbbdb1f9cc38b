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

    /// <summary>Sum of a Prometheus sample over every series with that name (0 when absent).</summary>
    public static double Sample(string metrics, string name) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' '))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Sum();
}
