using System.Net;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api;

/// <summary>The embedded default survives a restart: a new process on the same data directory remembers everything.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_KeepsPartnersKeysRevocationsAuditAndAcceptedJti()
    {
        var directory = ApiFactory.NewDataDirectory();
        var clock = ApiFactory.NewClock();
        var active = TestKey.P256();
        var revoked = SharedKeys.RsaA;
        string partner = ApiFixture.NewPartnerId();
        string accepted;

        await using (var first = new ApiFactory(directory, ApiFactory.AdminKey, clock))
        {
            var admin = first.CreateAdminClient();
            await admin.RegisterPartnerAsync(partner, active, revoked);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/partners/{partner}/keys/{revoked.Kid}")).StatusCode);
            accepted = Tokens.Sign(active, Tokens.Claims(partner, clock.GetUtcNow()));
            Assert.Equal(200, (await first.CreateClient().PingAsync(accepted).ReadAsync()).Status);
        }

        await using (var second = new ApiFactory(directory, ApiFactory.AdminKey, clock))
        {
            var client = second.CreateClient();
            var admin = second.CreateAdminClient();

            var (replayStatus, replay, _) = await client.PingAsync(accepted).ReadAsync();
            Assert.Equal(401, replayStatus);
            Assert.Equal("replayed_token", replay.GetProperty("error").GetString());

            Assert.Equal(200, (await client.PingAsync(Tokens.Sign(active, Tokens.Claims(partner, clock.GetUtcNow()))).ReadAsync()).Status);
            var (_, refused, _) = await client.PingAsync(Tokens.Sign(revoked, Tokens.Claims(partner, clock.GetUtcNow()))).ReadAsync();
            Assert.Equal("invalid_signature", refused.GetProperty("error").GetString());

            var (_, keys, _) = await admin.GetAsync($"/admin/partners/{partner}/keys").ReadAsync();
            Assert.Equal(2, keys.GetProperty("keys").GetArrayLength());
            var (_, audit, _) = await admin.GetAsync($"/admin/partners/{partner}/audit").ReadAsync();
            Assert.Equal(["added", "added", "revoked"], audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        }

        ApiFixture.TryDelete(directory);
    }
}
