using System.Net;
using System.Text.Json;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Gateways;

/// <summary>
/// What every supported gateway must do in front of a JustGold API, checked through the real
/// gateway process, the real API and a real upstream. Each gateway's test class runs these.
/// </summary>
public abstract class GatewayBehaviour(GatewayStack stack)
{
    protected DateTimeOffset Now => stack.Api.Clock.GetUtcNow();

    [Fact]
    public async Task FirstUse_PassesIdentityUpstream_WithoutTheToken()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        var path = Path();

        using var response = await SendAsync(HttpMethod.Get, path, Tokens.Sign(key, claims));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(stack.Upstream.RequestsTo(path));
        Assert.Equal(partner, seen.Headers["x-partner-id"]);
        Assert.Equal("order-service", seen.Headers["x-partner-subject"]);
        Assert.Equal(key.Kid, seen.Headers["x-partner-kid"]);
        Assert.Equal(claims["jti"]!.GetValue<string>(), seen.Headers["x-partner-jti"]);
        Assert.False(seen.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task Replay_Is401WithChallengeAndJsonBody_AndNeverReachesUpstream()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        var path = Path();
        using var first = await SendAsync(HttpMethod.Get, path, token);

        using var replay = await SendAsync(HttpMethod.Get, path, token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(replay, "replayed_token",
            "Bearer realm=\"justgold-api\", error=\"invalid_token\", error_description=\"replayed_token\"");
        Assert.Single(stack.Upstream.RequestsTo(path));
    }

    [Fact]
    public async Task MissingToken_Is401WithBareChallenge()
    {
        var path = Path();

        using var response = await SendAsync(HttpMethod.Get, path, token: null);

        await AssertRefusedAsync(response, "missing_token", "Bearer realm=\"justgold-api\"");
        Assert.Empty(stack.Upstream.RequestsTo(path));
    }

    [Fact]
    public async Task SpoofedIdentityHeaders_NeverReachUpstream()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims.Remove("sub");
        var refusedPath = Path();
        var allowedPath = Path();
        var spoofed = new Dictionary<string, string>
        {
            ["X-Partner-Id"] = "victim", ["X-Partner-Subject"] = "admin", ["X-Partner-Kid"] = "k", ["X-Partner-Jti"] = "j",
        };

        using var refused = await SendAsync(HttpMethod.Get, refusedPath, token: null, spoofed);
        using var allowed = await SendAsync(HttpMethod.Get, allowedPath, Tokens.Sign(key, claims), spoofed);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(stack.Upstream.RequestsTo(refusedPath));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var seen = Assert.Single(stack.Upstream.RequestsTo(allowedPath));
        Assert.Equal(partner, seen.Headers["x-partner-id"]);
        Assert.Equal(key.Kid, seen.Headers["x-partner-kid"]);
        Assert.Equal(claims["jti"]!.GetValue<string>(), seen.Headers["x-partner-jti"]);
        // The token has no "sub": the client's value must be removed, not passed on.
        Assert.False(seen.Headers.ContainsKey("x-partner-subject"), "the client's X-Partner-Subject reached the upstream");
    }

    [Fact]
    public async Task RequestBody_ReachesUpstream()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var path = Path();
        var body = new string('x', 100_000);

        using var response = await SendAsync(HttpMethod.Post, path, Tokens.Sign(key, Tokens.Claims(partner, Now)), body: body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(stack.Upstream.RequestsTo(path));
        Assert.Equal("POST", seen.Method);
        Assert.Equal(body.Length, seen.BodyLength);
    }

    [Fact]
    public async Task ConcurrentRequestsWithOneToken_ExactlyOneIsAllowed()
    {
        const int Requests = 16;
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        var path = Path();
        using var start = new SemaphoreSlim(0);

        var pending = Enumerable.Range(0, Requests).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await SendAsync(HttpMethod.Get, path, token);
            return (int)response.StatusCode;
        }).ToList();
        start.Release(Requests);
        var statuses = await Task.WhenAll(pending);

        Assert.Equal(1, statuses.Count(s => s == 200));
        Assert.Equal(Requests - 1, statuses.Count(s => s == 401));
        Assert.Single(stack.Upstream.RequestsTo(path));
    }

    [Fact]
    public async Task AuthCalls_ReuseConnections()
    {
        const int Requests = 40;
        var key = TestKey.P256();
        var partner = await stack.Api.CreatePartnerAsync(key);
        using var warm = await SendAsync(HttpMethod.Get, Path(), Tokens.Sign(key, Tokens.Claims(partner, Now)));
        var before = stack.Api.ConnectionsAccepted;

        for (var i = 0; i < Requests; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, Path(), Tokens.Sign(key, Tokens.Claims(partner, Now)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var opened = stack.Api.ConnectionsAccepted - before;
        Assert.True(opened <= 2, $"{Requests} sequential requests opened {opened} new connections to the API");
    }

    [Fact]
    public async Task ApiStopped_Is503ServiceUnavailable()
    {
        // Its own API and gateway: stopping the shared API would break the other tests.
        var api = KestrelApi.Start();
        await using var upstream = await EchoUpstream.StartAsync();
        await using var gateway = await stack.StartGatewayAsync(api.Port, upstream.Port);
        using var client = new HttpClient { BaseAddress = gateway.Url, Timeout = TimeSpan.FromSeconds(30) };
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var path = Path();
        using var before = await client.SendAsync(Get(path, Tokens.Sign(key, Tokens.Claims(partner, api.Clock.GetUtcNow()))));

        await api.DisposeAsync();
        using var after = await client.SendAsync(Get(path, Tokens.Sign(key, Tokens.Claims(partner, DateTimeOffset.UtcNow))));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertUnavailableAsync(after);
        Assert.Single(upstream.RequestsTo(path));
    }

    protected static string Path() => $"/orders/{Guid.NewGuid():N}";

    private static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return request;
    }

    protected Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token,
        IReadOnlyDictionary<string, string>? headers = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return stack.Client.SendAsync(request);
    }

    protected static async Task AssertRefusedAsync(HttpResponseMessage response, string error, string challenge)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode} {text}");
        Assert.Equal(challenge, Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "401 without Cache-Control: no-store");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
        var timestamp = body.RootElement.GetProperty("timestamp").GetInt64();
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
    }

    protected static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "503 without Cache-Control: no-store");
        using var body = JsonDocument.Parse(text);
        Assert.Equal("service_unavailable", body.RootElement.GetProperty("error").GetString());
    }
}
