using System.Net;
using System.Text.Json.Nodes;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Authorize;

/// <summary>/v1/authorize over HTTP against the real API: the gateway's answers, with /v1/ping's checks.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizeApiTests(ApiFixture api)
{
    private DateTimeOffset Now => api.Clock.GetUtcNow();

    [Fact]
    public async Task Authorize_AllowsWithEmptyBodyAndIdentityHeaders()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);

        using var response = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", Tokens.Sign(key, claims));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal(partner, Header(response, "X-Partner-Id"));
        Assert.Equal("order-service", Header(response, "X-Partner-Subject"));
        Assert.Equal(key.Kid, Header(response, "X-Partner-Kid"));
        Assert.Equal(claims["jti"]!.GetValue<string>(), Header(response, "X-Partner-Jti"));
        Assert.Null(Header(response, "X-Auth-Error"));
    }

    [Theory]
    [InlineData("GET", "/v1/authorize/orders/42?page=2")]
    [InlineData("POST", "/v1/authorize")]
    [InlineData("POST", "/v1/authorize/orders")]
    [InlineData("PUT", "/v1/authorize/orders/42")]
    [InlineData("PATCH", "/v1/authorize/a/b/c")]
    [InlineData("DELETE", "/v1/authorize/orders/42")]
    [InlineData("HEAD", "/v1/authorize")]
    [InlineData("OPTIONS", "/v1/authorize/x")]
    public async Task Authorize_AnswersAnyMethodAndSubPath(string method, string path)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        using var first = await AuthorizeAsync(new HttpMethod(method), path, token, body: "{\"ignored\":true}");
        using var second = await AuthorizeAsync(new HttpMethod(method), path, token, body: "{\"ignored\":true}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(partner, Header(first, "X-Partner-Id"));
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal("replayed_token", Header(second, "X-Auth-Error"));
    }

    [Fact]
    public async Task Authorize_OmitsSubjectHeaderWhenTokenHasNone()
    {
        var key = TestKey.P256();
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims.Remove("sub");

        using var response = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", Tokens.Sign(key, claims));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Partner-Subject"));
    }

    [Fact]
    public async Task Authorize_RefusesReplayWithChallengeBodyAndAuthError()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        using var first = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", token);

        var (status, body, response) = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", token).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("replayed_token", body.GetProperty("error").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), body.GetProperty("timestamp").GetInt64());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer realm=\"justgold-api\", error=\"invalid_token\", error_description=\"replayed_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("replayed_token", Header(response, "X-Auth-Error"));
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.False(response.Headers.Contains("X-Partner-Id"));
    }

    [Fact]
    public async Task Authorize_RefusesMissingTokenWithBareChallenge()
    {
        var (status, body, response) = await AuthorizeAsync(HttpMethod.Post, "/v1/authorize/orders", token: null).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("missing_token", body.GetProperty("error").GetString());
        Assert.Equal("Bearer realm=\"justgold-api\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("missing_token", Header(response, "X-Auth-Error"));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Authorize_RefusesExactlyAsPingDoes()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var forger = SharedKeys.RsaB;
        forger.Kid = key.Kid;
        var wrongAudience = Tokens.Claims(partner, Now);
        wrongAudience["aud"] = "elsewhere";
        var refused = new[]
        {
            "not-a-jwt",
            Tokens.Unsigned(new JsonObject { ["alg"] = "none" }, Tokens.Claims(partner, Now)),
            Tokens.Sign(key, Tokens.Claims("ghost-partner", Now)),
            Tokens.Sign(forger, Tokens.Claims(partner, Now)),
            Tokens.Sign(key, Tokens.Claims(partner, Now.AddHours(-2))),
            Tokens.Sign(key, wrongAudience),
        };

        foreach (var token in refused)
        {
            // A refused token uses up nothing, so the same token can be shown to both endpoints.
            var (pingStatus, pingBody, pingResponse) = await api.PingAsync(token).ReadAsync();
            var (status, body, response) = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", token).ReadAsync();

            Assert.Equal(401, pingStatus);
            Assert.Equal(pingStatus, status);
            Assert.Equal(pingBody.GetProperty("error").GetString(), body.GetProperty("error").GetString());
            Assert.Equal(pingBody.GetProperty("message").GetString(), body.GetProperty("message").GetString());
            Assert.Equal(pingResponse.Headers.WwwAuthenticate.ToString(), response.Headers.WwwAuthenticate.ToString());
            Assert.Equal(body.GetProperty("error").GetString(), Header(response, "X-Auth-Error"));
        }
    }

    [Fact]
    public async Task Authorize_AndPingShareTheJti()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        Assert.Equal(200, (await api.PingAsync(token).ReadAsync()).Status);
        using var response = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("replayed_token", Header(response, "X-Auth-Error"));
    }

    [Fact]
    public async Task BearerTokenSentElsewhere_IsNeitherVerifiedNorUsedUp()
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        foreach (var path in new[] { "/healthz", "/readyz", "/admin/partners" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            request.Headers.Add("X-Admin-Key", ApiFactory.AdminKey);
            using var elsewhere = await api.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }

        using var response = await AuthorizeAsync(HttpMethod.Get, "/v1/authorize", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<HttpResponseMessage> AuthorizeAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        if (body is not null && method != HttpMethod.Get && method != HttpMethod.Head)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return api.Client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
