using System.Text.Json;
using Grpc.Net.Client;
using JustGold.Api.ExtAuthz.Envoy;
using JustGold.Tests.Infrastructure;
using static JustGold.Api.ExtAuthz.Envoy.HeaderValueOption.Types;
using RpcCode = Grpc.Core.StatusCode;

namespace JustGold.Tests.Api.ExtAuthz;

/// <summary>The real API on an HTTP/2-only Kestrel endpoint and the API's own client over Grpc.Net.Client; one per class.</summary>
public sealed class ExtAuthzStack : IAsyncLifetime
{
    public KestrelApi Api { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    internal Authorization.AuthorizationClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Api = KestrelApi.Start(withHttp2: true);
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Api.Http2Port}");
        Client = new Authorization.AuthorizationClient(Channel);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Api.DisposeAsync();
    }
}

/// <summary>envoy.service.auth.v3.Authorization/Check as Envoy calls it, against the real service.</summary>
public sealed class ExtAuthzTests(ExtAuthzStack stack) : IClassFixture<ExtAuthzStack>
{
    private DateTimeOffset Now => stack.Api.Clock.GetUtcNow();

    [Fact]
    public async Task Check_AllowsWithIdentityHeadersAndRemovesTheToken()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);

        var response = await stack.Client.CheckAsync(Request(Tokens.Sign(key, claims)));

        Assert.Equal((int)RpcCode.OK, response.Status.Code);
        Assert.Equal(CheckResponse.HttpResponseOneofCase.OkResponse, response.HttpResponseCase);
        var headers = response.OkResponse.Headers;
        Assert.All(headers, h => Assert.Equal(HeaderAppendAction.OverwriteIfExistsOrAdd, h.AppendAction));
        Assert.Equal(partner, Value(headers, "X-Partner-Id"));
        Assert.Equal("order-service", Value(headers, "X-Partner-Subject"));
        Assert.Equal(key.Kid, Value(headers, "X-Partner-Kid"));
        Assert.Equal(claims["jti"]!.GetValue<string>(), Value(headers, "X-Partner-Jti"));
        Assert.Contains("Authorization", response.OkResponse.HeadersToRemove, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Check_RemovesSubjectHeaderWhenTokenHasNone()
    {
        var key = TestKey.P256();
        var partner = await stack.Api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims.Remove("sub");

        var response = await stack.Client.CheckAsync(Request(Tokens.Sign(key, claims)));

        Assert.Equal((int)RpcCode.OK, response.Status.Code);
        Assert.Null(Value(response.OkResponse.Headers, "X-Partner-Subject"));
        Assert.Contains("X-Partner-Subject", response.OkResponse.HeadersToRemove);
    }

    [Fact]
    public async Task Check_DeniesReplayAsUnauthenticatedWithTheHttpRefusal()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));
        var first = await stack.Client.CheckAsync(Request(token));

        var replay = await stack.Client.CheckAsync(Request(token));
        using var http = new HttpClient { BaseAddress = stack.Api.Url };
        using var direct = new HttpRequestMessage(HttpMethod.Get, "/v1/authorize");
        direct.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var directResponse = await http.SendAsync(direct);

        Assert.Equal((int)RpcCode.OK, first.Status.Code);
        Assert.Equal((int)RpcCode.Unauthenticated, replay.Status.Code);
        var denied = replay.DeniedResponse;
        Assert.Equal(StatusCode.Unauthorized, denied.Status.Code);
        Assert.Equal("Bearer realm=\"justgold-api\", error=\"invalid_token\", error_description=\"replayed_token\"", Value(denied.Headers, "WWW-Authenticate"));
        Assert.Equal("replayed_token", Value(denied.Headers, "X-Auth-Error"));
        Assert.Equal("no-store", Value(denied.Headers, "Cache-Control"));
        Assert.StartsWith("application/json", Value(denied.Headers, "Content-Type"), StringComparison.Ordinal);
        Assert.Equal(await directResponse.Content.ReadAsStringAsync(), denied.Body);
        Assert.Equal("replayed_token", JsonDocument.Parse(denied.Body).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Check_DeniesMissingTokenWithBareChallenge()
    {
        var response = await stack.Client.CheckAsync(Request(token: null));

        Assert.Equal((int)RpcCode.Unauthenticated, response.Status.Code);
        Assert.Equal(StatusCode.Unauthorized, response.DeniedResponse.Status.Code);
        Assert.Equal("Bearer realm=\"justgold-api\"", Value(response.DeniedResponse.Headers, "WWW-Authenticate"));
        Assert.Equal("missing_token", JsonDocument.Parse(response.DeniedResponse.Body).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Check_ReadsRawHeadersToo()
    {
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var http = new AttributeContext.Types.HttpRequest { Method = "GET", Path = "/orders", HeaderMap = new HeaderMap() };
        http.HeaderMap.Headers.Add(new HeaderValue
        {
            Key = "authorization",
            RawValue = Google.Protobuf.ByteString.CopyFromUtf8("Bearer " + Tokens.Sign(key, Tokens.Claims(partner, Now))),
        });

        var response = await stack.Client.CheckAsync(new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } });

        Assert.Equal((int)RpcCode.OK, response.Status.Code);
        Assert.Equal(partner, Value(response.OkResponse.Headers, "X-Partner-Id"));
    }

    [Fact]
    public async Task ConcurrentChecksWithOneToken_ExactlyOneIsAllowed()
    {
        const int Requests = 16;
        var key = SharedKeys.RsaA;
        var partner = await stack.Api.CreatePartnerAsync(key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, Now));

        var codes = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async _ => (await stack.Client.CheckAsync(Request(token))).Status.Code));

        Assert.Equal(1, codes.Count(c => c == (int)RpcCode.OK));
        Assert.Equal(Requests - 1, codes.Count(c => c == (int)RpcCode.Unauthenticated));
    }

    [Fact]
    public async Task Check_IsNotServedOnTheHttp1Endpoint()
    {
        using var channel = GrpcChannel.ForAddress(stack.Api.Url);
        var client = new Authorization.AuthorizationClient(channel);

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await client.CheckAsync(Request(token: null)));

        Assert.NotEqual(RpcCode.OK, error.StatusCode);
    }

    private static CheckRequest Request(string? token)
    {
        var http = new AttributeContext.Types.HttpRequest { Method = "POST", Path = "/orders/42?x=1" };
        http.Headers.Add(":authority", "api.example");
        if (token is not null)
        {
            http.Headers.Add("authorization", "Bearer " + token);
        }

        return new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } };
    }

    private static string? Value(IEnumerable<HeaderValueOption> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Header.Key, name, StringComparison.OrdinalIgnoreCase))?.Header.Value;
}
