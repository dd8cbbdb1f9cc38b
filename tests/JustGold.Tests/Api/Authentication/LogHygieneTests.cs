using System.Text.Json.Nodes;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Authentication;

/// <summary>
/// Issue 10, item 2: an attacker cannot grow the logs, and cannot write raw control characters into them.
/// The API logs as shipped (<see cref="LoggedApi"/>).
/// </summary>
public sealed class LogHygieneTests
{
    [Fact]
    public async Task UnauthenticatedTraffic_AddsNoInformationLinesPerRequest()
    {
        await using var host = new LoggedApi();
        var now = host.Factory.Clock.GetUtcNow();
        var key = SharedKeys.RsaA;
        var partner = await host.CreatePartnerAsync(key);
        var forger = SharedKeys.RsaB;
        forger.Kid = key.Kid;

        // Every kind once first, so one-off start-up lines (first grain placement, JIT, pools) are behind us.
        await SendAttackAsync(host.Client, partner, forger, now, 3);
        var before = host.InformationLines();
        await SendAttackAsync(host.Client, partner, forger, now, 40);
        var added = host.InformationLines().Skip(before.Count).ToList();

        Assert.True(added.Count == 0, $"240 refused requests added {added.Count} Information+ lines, e.g.:\n" + string.Join("\n", added.Take(10)));
    }

    [Fact]
    public async Task ValuesFromTheToken_AreLoggedWithControlCharactersEscaped()
    {
        await using var host = new LoggedApi();
        var now = host.Factory.Clock.GetUtcNow();
        var key = SharedKeys.RsaA;
        var partner = await host.CreatePartnerAsync(key);
        const string hostile = "x\u0000y\r\nWarning forged-line\u001b[2J\u0085\\u0000";

        var (accepted, _, _) = await host.Client.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, now, jti: "jti-" + hostile))).ReadAsync();
        var header = Tokens.Header(key.DefaultAlg, "kid-" + hostile);
        var (unknownKid, _, _) = await host.Client.PingAsync(Tokens.Sign(header, Tokens.Claims(partner, now), key.SigningKey)).ReadAsync();
        var badIssuer = Tokens.Claims(partner, now);
        badIssuer["iss"] = "iss-" + hostile;
        var (unknownIssuer, _, _) = await host.Client.PingAsync(Tokens.Sign(key, badIssuer)).ReadAsync();

        Assert.Equal((200, 401, 401), (accepted, unknownKid, unknownIssuer));
        var lines = host.Logs.Lines.Where(l => l.Contains("[1001]", StringComparison.Ordinal)).ToList();
        foreach (var name in new[] { "jti-", "kid-", "iss-" })
        {
            // The escaped form, with the backslash of the literal "\u0000" escaped too, so the two never look alike.
            Assert.Contains(lines, l => l.Contains(name + "x\\u0000y\\r\\nWarning forged-line\\u001B[2J\\u0085\\\\u0000", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(host.Logs.Lines, l => l.AsSpan().IndexOfAny("\u0000\r\n\u001b\u0085") >= 0);
    }

    // Per round: an unknown but well-formed issuer (a new one each time), a forged signature on a real
    // partner, and bytes that are no token at all; each to /v1/ping and, as a gateway sends it, /v1/authorize.
    private static async Task SendAttackAsync(HttpClient client, string partner, TestKey forger, DateTimeOffset now, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            var stranger = Tokens.Claims("rnd-" + Guid.NewGuid().ToString("N"), now);
            var tokens = new[]
            {
                Tokens.Unsigned(new JsonObject { ["alg"] = "RS256" }, stranger, "c2ln"),
                Tokens.Sign(forger, Tokens.Claims(partner, now)),
                "not-a-token-" + i,
            };
            foreach (var token in tokens)
            {
                var (status, _, _) = await client.PingAsync(token).ReadAsync();
                using var gateway = new HttpRequestMessage(HttpMethod.Get, "/v1/authorize/orders?id=" + i);
                gateway.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                gateway.Headers.TryAddWithoutValidation("X-Original-URI", "/orders/" + Guid.NewGuid());
                var authorized = await client.SendAsync(gateway);
                Assert.Equal((401, 401), (status, (int)authorized.StatusCode));
            }
        }
    }
}
