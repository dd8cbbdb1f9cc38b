using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Client;

/// <summary>The .NET handler library in a downstream service, against the real API over real HTTP.</summary>
public sealed class PartnerHandlerTests(PartnerHandlerStack stack) : IClassFixture<PartnerHandlerStack>
{
    private DateTimeOffset Now => stack.Api.Clock.GetUtcNow();

    [Fact]
    public async Task FirstUse_BuildsPrincipalFromTheClustersAnswer()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);

        var (status, body, _) = await stack.Service.WhoAmIAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(200, status);
        Assert.Equal(partner, body.GetProperty("name").GetString());
        Assert.Equal(partner, body.GetProperty("partner").GetString());
        Assert.Equal("order-service", body.GetProperty("subject").GetString());
        Assert.Equal(key.Kid, body.GetProperty("kid").GetString());
        Assert.Equal(claims["jti"]!.GetValue<string>(), body.GetProperty("jti").GetString());
    }

    [Fact]
    public async Task Replay_PassesTheClustersChallengeAndBodyThrough()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        using var first = await stack.Service.WhoAmIAsync(token);

        using var replay = await stack.Service.WhoAmIAsync(token);
        using var direct = await AuthorizeDirectlyAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.Equal("Bearer realm=\"justgold-api\", error=\"invalid_token\", error_description=\"replayed_token\"", replay.Headers.WwwAuthenticate.ToString());
        Assert.Equal(await direct.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal("application/json", replay.Content.Headers.ContentType?.MediaType);
        Assert.Equal("replayed_token", replay.Headers.GetValues("X-Auth-Error").Single());
        Assert.True(replay.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task MissingToken_IsTheClustersMissingTokenAnswer()
    {
        var (status, body, response) = await stack.Service.WhoAmIAsync(null).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("missing_token", body.GetProperty("error").GetString());
        Assert.Equal("Bearer realm=\"justgold-api\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AnonymousEndpoint_CostsNoCallToTheCluster()
    {
        var before = stack.Api.ConnectionsAccepted;
        using var response = await stack.Service.Client.GetAsync(new Uri("/open", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, stack.Api.ConnectionsAccepted);
    }

    [Fact]
    public async Task ConcurrentRequestsWithOneToken_AreNotMerged_ExactlyOneIsAllowed()
    {
        const int Requests = 16;
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        using var start = new SemaphoreSlim(0);

        var pending = Enumerable.Range(0, Requests).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await stack.Service.WhoAmIAsync(token);
            return response.StatusCode;
        }).ToList();
        start.Release(Requests);
        var statuses = await Task.WhenAll(pending);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Requests - 1, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task SequentialRequests_ReusePooledConnections()
    {
        const int Requests = 30;
        var key = TestKey.P256();
        var partner = await stack.Api.CreatePartnerAsync(key);
        using var warm = await stack.Service.WhoAmIAsync(Tokens.Sign(key, Tokens.Claims(partner, Now)));
        var before = stack.Api.ConnectionsAccepted;

        for (var i = 0; i < Requests; i++)
        {
            using var response = await stack.Service.WhoAmIAsync(Tokens.Sign(key, Tokens.Claims(partner, Now)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var opened = stack.Api.ConnectionsAccepted - before;
        Assert.True(opened <= 1, $"{Requests} sequential requests opened {opened} new connections to the cluster");
    }

    [Fact]
    public async Task ClusterNotListening_FailsClosedWith503()
    {
        await using var service = await DownstreamService.StartAsync(o => o.AuthorityUrl = $"http://127.0.0.1:{FreePorts.Next()}");

        var (status, body, response) = await service.WhoAmIAsync("any.token.value").ReadAsync();

        Assert.Equal(503, status);
        Assert.Equal("service_unavailable", body.GetProperty("error").GetString());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task ClusterTooSlow_FailsClosedWith503AfterTheTimeout()
    {
        // Accepts connections and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptTcpClientAsync());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var service = await DownstreamService.StartAsync(o =>
        {
            o.AuthorityUrl = $"http://127.0.0.1:{port}";
            o.Timeout = TimeSpan.FromMilliseconds(300);
        });
        var elapsed = Stopwatch.StartNew();

        var (status, body, _) = await service.WhoAmIAsync("any.token.value").ReadAsync();

        Assert.Equal(503, status);
        Assert.Equal("service_unavailable", body.GetProperty("error").GetString());
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));
        silent.Stop();
        await accepting;
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task InvalidAuthority_IsRefusedAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var service = await DownstreamService.StartAsync(o => o.AuthorityUrl = "not a url");
        });

        Assert.Contains("AuthorityUrl", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> AuthorizeDirectlyAsync(string token)
    {
        using var client = new HttpClient { BaseAddress = stack.Api.Url };
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/authorize");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await client.SendAsync(request);
    }
}
