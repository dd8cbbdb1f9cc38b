using System.Globalization;
using System.Text.RegularExpressions;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Authentication;

/// <summary>
/// Issue 10, "also worth a look": a refusal on this node's copy of the keys is checked again only when the
/// partner's grain has other keys; when the grain's set is the one already tried, the answer cannot change
/// and the signature maths is not repeated (it was, for every bad token: twice the CPU per forgery).
/// </summary>
public sealed partial class KeyRecheckTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        ApiFixture.TryDelete(_factory.DataDirectory);
    }

    [Fact]
    public async Task Refusals_AreCheckedAgainOnlyWhenTheGrainHasOtherKeys()
    {
        var admin = _factory.CreateAdminClient();
        var client = _factory.CreateClient();
        var now = _factory.Clock.GetUtcNow();
        var key = SharedKeys.RsaA;
        var partner = ApiFixture.NewPartnerId();
        await admin.RegisterPartnerAsync(partner, key);
        var forger = SharedKeys.RsaB;
        forger.Kid = key.Kid;

        // This node now holds the partner's keys: forged tokens fail on its copy, and the grain has the same keys.
        var (first, _, _) = await client.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, now))).ReadAsync();
        for (var i = 0; i < 3; i++)
        {
            var (forged, body, _) = await client.PingAsync(Tokens.Sign(forger, Tokens.Claims(partner, now))).ReadAsync();
            Assert.Equal("invalid_signature", body.GetProperty("error").GetString());
            Assert.Equal(401, forged);
        }

        // A key this node has not seen yet: its copy is stale, the grain's set differs, the second check accepts.
        var added = TestKey.P256();
        added.Kid = await admin.UploadKeyAsync(partner, added.PublicPem);
        var (withNewKey, _, _) = await client.PingAsync(Tokens.Sign(added, Tokens.Claims(partner, now))).ReadAsync();

        Assert.Equal((200, 200), (first, withNewKey));
        Assert.Equal(1, Rechecks(await client.GetStringAsync("/metrics")));
    }

    private static long Rechecks(string metrics)
    {
        var match = RechecksLine().Match(metrics);
        Assert.True(match.Success, "no partner_auth_verification_rechecks_total in /metrics");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^partner_auth_verification_rechecks_total(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline)]
    private static partial Regex RechecksLine();
}
