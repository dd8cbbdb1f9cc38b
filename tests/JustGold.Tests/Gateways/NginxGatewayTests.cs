using System.Net;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Gateways;

/// <summary>nginx (auth_request) with deploy/nginx/justgold-gateway.conf, the real API and an echo upstream.</summary>
public sealed class NginxGatewayTests(NginxStack stack) : GatewayBehaviour(stack), IClassFixture<NginxStack>
{
    [Fact]
    public async Task ApiStopped_Is503ServiceUnavailable()
    {
        // Its own API and nginx: stopping the shared API would break the other tests.
        var api = KestrelApi.Start();
        await using var upstream = await EchoUpstream.StartAsync();
        await using var nginx = await NginxGateway.StartAsync(api.Port, upstream.Port);
        using var client = new HttpClient { BaseAddress = nginx.Url, Timeout = TimeSpan.FromSeconds(30) };
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var path = Path();
        using var before = await Send(client, path, Tokens.Sign(key, Tokens.Claims(partner, api.Clock.GetUtcNow())));

        await api.DisposeAsync();
        using var after = await Send(client, path, Tokens.Sign(key, Tokens.Claims(partner, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertUnavailableAsync(after);
        Assert.Single(upstream.RequestsTo(path));
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return client.SendAsync(request);
    }
}
