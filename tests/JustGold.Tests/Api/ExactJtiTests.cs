using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api;

/// <summary>
/// The embedded API and the API on a real PostgreSQL, over HTTP: a jti is any JSON string and is
/// compared exactly (U+0000 included), and one partner's odd jti never fails another partner's
/// tokens committed in the same window.
/// </summary>
public sealed class ExactJtiTests : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private readonly List<(ApiFactory Factory, HttpClient Client, HttpClient Admin)> _apis = [];

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        foreach (var settings in new[]
        {
            new Dictionary<string, string?>(),
            new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = _postgres.ConnectionString },
        })
        {
            var factory = new ApiFactory(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock(), settings);
            _apis.Add((factory, factory.CreateClient(), factory.CreateAdminClient()));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task NulJtiIsAcceptedOnceThenReplayedAndOtherPartnersAreUntouched(int api)
    {
        var (factory, client, admin) = _apis[api];
        var odd = SharedKeys.RsaA;
        var other = TestKey.P256();
        var oddPartner = ApiFixture.NewPartnerId();
        var otherPartner = ApiFixture.NewPartnerId();
        await admin.RegisterPartnerAsync(oddPartner, odd);
        await admin.RegisterPartnerAsync(otherPartner, other);
        var now = factory.Clock.GetUtcNow();

        // The odd jti values and 40 ordinary tokens of another partner, all at once, so they
        // share group commits.
        string[] oddJti = ["\u0000", "a\u0000b", "a\u0000c", "a", "\ud800", "new\nline"];
        var oddTokens = oddJti.Select(j => Tokens.Sign(odd, Tokens.Claims(oddPartner, now, jti: j))).ToArray();
        var otherTokens = Enumerable.Range(0, 40).Select(_ => Tokens.Sign(other, Tokens.Claims(otherPartner, now))).ToArray();
        var answers = await Task.WhenAll(oddTokens.Concat(otherTokens).Select(t => client.PingAsync(t).ReadAsync()));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        foreach (var token in oddTokens)
        {
            var (status, body, _) = await client.PingAsync(token).ReadAsync();
            Assert.Equal(401, status);
            Assert.Equal("replayed_token", body.GetProperty("error").GetString());
        }

        // Near-misses of a used jti are other jti values.
        Assert.Equal(200, (await client.PingAsync(Tokens.Sign(odd, Tokens.Claims(oddPartner, now, jti: "\u0000\u0000"))).ReadAsync()).Status);
        Assert.Equal(200, (await client.PingAsync(Tokens.Sign(odd, Tokens.Claims(oddPartner, now, jti: "a\u0000"))).ReadAsync()).Status);
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, _, _) in _apis)
        {
            await factory.DisposeAsync();
            ApiFixture.TryDelete(factory.DataDirectory);
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
