using JustGold.Grains.Contracts;
using JustGold.Api.Keys;
using JustGold.Api.Authentication;
using JustGold.Tests.Infrastructure;
using Orleans.Runtime;

namespace JustGold.Tests.Grains.Partners;

/// <summary>Partner grains on a two-silo TestingHost cluster, driven through the real verifier.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PartnerGrainTests(ClusterFixture fixture)
{
    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    private async Task<string> CreatePartnerAsync(params TestKey[] keys)
    {
        var partnerId = ApiFixture.NewPartnerId("g");
        var grain = fixture.Grains.GetGrain<IPartnerGrain>(partnerId);
        await grain.UpsertAsync(new PartnerUpdate("Grain test", null));
        foreach (var key in keys)
        {
            var reading = PublicKeyParser.Read(key.PublicPem, Now);
            var result = await grain.AddKeyAsync(reading.Key!, "test");
            key.Kid = result.Key!.Kid;
        }

        return partnerId;
    }

    private Task<AuthenticationResult> AuthenticateAsync(string token) => fixture.Authenticator.AuthenticateAsync("Bearer " + token);

    [Fact]
    public async Task Confirm_AcceptsAJtiOnceEvenWhen50ArriveAtOnce()
    {
        var key = SharedKeys.RsaA;
        var partner = await CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => AuthenticateAsync(token))));

        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.Equal(49, results.Count(r => r.Failure == TokenFailure.ReplayedToken));
    }

    [Fact]
    public async Task Confirm_ManyDistinctJtiForOnePartnerAllAccepted()
    {
        var key = TestKey.P256();
        var partner = await CreatePartnerAsync(key);
        var tokens = Enumerable.Range(0, 200).Select(_ => Tokens.Sign(key, Tokens.Claims(partner, Now))).ToList();

        var results = await Task.WhenAll(tokens.Select(t => Task.Run(() => AuthenticateAsync(t))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure.ToString()));
    }

    [Fact]
    public async Task Confirm_JtiIsScopedToItsPartner()
    {
        var key = TestKey.P256();
        var first = await CreatePartnerAsync(key);
        var otherKey = key.Copy();
        var second = await CreatePartnerAsync(otherKey);
        var jti = Guid.NewGuid().ToString();

        Assert.True((await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(first, Now, jti)))).Succeeded);
        Assert.True((await AuthenticateAsync(Tokens.Sign(otherKey, Tokens.Claims(second, Now, jti)))).Succeeded);
        Assert.Equal(TokenFailure.ReplayedToken, (await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(first, Now, jti)))).Failure);
    }

    [Fact]
    public async Task Confirm_ForgetsJtiOnlyAfterItsTokenExpiredPlusSkew()
    {
        var key = TestKey.P256();
        var partner = await CreatePartnerAsync(key);
        var jti = Guid.NewGuid().ToString();
        var issued = Now;
        Assert.True((await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, issued, jti, lifetimeSeconds: 120)))).Succeeded);

        // Still remembered while the first token could still be accepted (exp + skew).
        fixture.Clock.Advance(TimeSpan.FromSeconds(170));
        Assert.Equal(TokenFailure.ReplayedToken, (await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, Now, jti, 120)))).Failure);

        // Once exp + skew has passed, a new token may reuse the jti.
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, Now, jti, 120)))).Succeeded);
    }

    [Fact]
    public async Task Confirm_RefusesKeyRevokedAfterTheVerifierCachedIt()
    {
        var key = TestKey.P256();
        var partner = await CreatePartnerAsync(key);
        Assert.True((await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, Now)))).Succeeded);

        // Revoked through the grain directly: the verifier's cache still holds the key.
        await fixture.Grains.GetGrain<IPartnerGrain>(partner).RevokeKeyAsync(key.Kid!, "test");

        Assert.Equal(TokenFailure.InvalidSignature, (await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, Now)))).Failure);
    }

    [Fact]
    public async Task Confirm_RefusesPartnerSuspendedAfterTheVerifierCachedIt()
    {
        var key = TestKey.P256();
        var partner = await CreatePartnerAsync(key);
        Assert.True((await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, Now)))).Succeeded);

        await fixture.Grains.GetGrain<IPartnerGrain>(partner).UpsertAsync(new PartnerUpdate(null, PartnerStatus.Suspended));

        Assert.Equal(TokenFailure.InvalidIssuer, (await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(partner, Now)))).Failure);
    }

    [Fact]
    public async Task GrainsOfManyPartnersSpreadAcrossBothSilos()
    {
        var partners = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            partners.Add(await CreatePartnerAsync());
        }

        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics();
        Assert.Contains(stats, s => s.GrainId.Key.ToString() == partners[0]);
        var silosHosting = stats.Where(s => partners.Contains(s.GrainId.Key.ToString()!)).Select(s => s.SiloAddress).Distinct().Count();

        Assert.Equal(2, fixture.Cluster.GetActiveSilos().Count());
        Assert.Equal(2, silosHosting);
    }

    [Fact]
    public async Task UnknownIssuerLeavesNoGrainAndNoRowBehind()
    {
        var ghosts = Enumerable.Range(0, 20).Select(_ => ApiFixture.NewPartnerId("ghost")).ToList();
        var key = SharedKeys.RsaA;

        foreach (var ghost in ghosts)
        {
            Assert.Equal(TokenFailure.InvalidIssuer, (await AuthenticateAsync(Tokens.Sign(key, Tokens.Claims(ghost, Now), withKid: false))).Failure);
        }

        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int alive;
        do
        {
            var stats = await management.GetDetailedGrainStatistics();
            alive = stats.Count(s => ghosts.Contains(s.GrainId.Key.ToString()!));
            if (alive == 0)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(0, alive);
        var listed = await fixture.Grains.GetGrain<IPartnerDirectoryGrain>(0).ListAsync();
        Assert.DoesNotContain(listed, p => ghosts.Contains(p.PartnerId));
    }

    [Fact]
    public async Task ConfirmBatch_DecidesEachInOrder()
    {
        var kept = TestKey.P256();
        var revoked = TestKey.P256();
        var partner = await CreatePartnerAsync(kept, revoked);
        var grain = fixture.Grains.GetGrain<IPartnerGrain>(partner);
        await grain.RevokeKeyAsync(revoked.Kid!, "test");
        var exp = Now.ToUnixTimeSeconds() + 300;

        var verdicts = await grain.ConfirmBatchAsync(
        [
            new(kept.Kid!, "one", exp),
            new(kept.Kid!, "two", exp),
            new(kept.Kid!, "one", exp),
            new(revoked.Kid!, "three", exp),
            new("unknown-kid", "four", exp),
        ]);
        var again = await grain.ConfirmAsync(new(kept.Kid!, "two", exp));

        Assert.Equal(
            [ConfirmationVerdict.Accepted, ConfirmationVerdict.Accepted, ConfirmationVerdict.Replayed, ConfirmationVerdict.KeyNotActive, ConfirmationVerdict.KeyNotActive],
            verdicts);
        Assert.Equal(ConfirmationVerdict.Replayed, again);
    }

    [Fact]
    public async Task KeySet_ListsOnlyActiveKeys()
    {
        var kept = TestKey.P256();
        var revoked = TestKey.P256();
        var partner = await CreatePartnerAsync(kept, revoked);
        var grain = fixture.Grains.GetGrain<IPartnerGrain>(partner);

        await grain.RevokeKeyAsync(revoked.Kid!, "test");
        var keySet = await grain.GetKeySetAsync();

        Assert.True(keySet.CanAuthenticate);
        Assert.Equal([kept.Kid], keySet.ActiveKeys.Select(k => k.Kid));
    }
}
