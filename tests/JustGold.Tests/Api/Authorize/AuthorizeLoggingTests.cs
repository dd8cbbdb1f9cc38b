using JustGold.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JustGold.Tests.Api.Authorize;

/// <summary>What /v1/authorize writes to the log.</summary>
public sealed class AuthorizeLoggingTests
{
    [Fact]
    public async Task Authorize_LogsGatewayRequestWithResult_EscapedAndWithoutToken()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new ApiFactory(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock(),
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" },
            services => services.AddSingleton<ILoggerProvider>(logs));
        var key = SharedKeys.RsaA;
        var partner = ApiFixture.NewPartnerId();
        await factory.CreateAdminClient().RegisterPartnerAsync(partner, key);
        var token = Tokens.Sign(key, Tokens.Claims(partner, factory.Clock.GetUtcNow()));
        var client = factory.CreateClient();

        using var allowed = await SendAsync(client, token, ("X-Original-URI", "/orders/42?x=1"), ("X-Original-Method", "POST"));
        using var replayed = await SendAsync(client, token, ("X-Forwarded-Uri", "/orders/\u0001evil"), ("X-Forwarded-Method", "DELETE"));

        var lines = logs.Lines.Where(l => l.Contains("[7001]", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("POST /orders/42?x=1: ok", StringComparison.Ordinal) && l.Contains(partner, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("DELETE /orders/\\u0001evil: replayed_token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(token.Split('.')[2], StringComparison.Ordinal));

        // Failing requests add no Information line (an attacker must not grow the logs).
        var before = logs.Lines.Count(l => !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal));
        for (var i = 0; i < 5; i++)
        {
            using var refused = await SendAsync(client, "garbage-" + i, ("X-Original-URI", "/x"));
        }

        Assert.Equal(before, logs.Lines.Count(l => !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal)));
        ApiFixture.TryDelete(factory.DataDirectory);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string token, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/authorize");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }
}
