using System.Text.Json.Nodes;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Ping;

/// <summary>
/// Issue 10, items 3 and 4: a header or payload is exactly one JSON object, and <c>aud</c> is a string or an
/// array of strings. Every token here is signed by the partner's registered key, so form is the only fault.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenFormTests(ApiFixture api)
{
    private DateTimeOffset Now => api.Clock.GetUtcNow();

    [Theory]
    [InlineData("xyz")]
    [InlineData("{\"iss\":\"someone-else\"}")]
    [InlineData("[]")]
    [InlineData("\"more\"")]
    [InlineData("}")]
    [InlineData("\u0000")]
    [InlineData(" // comment")]
    public async Task Ping_RefusesPayloadWithAnythingAfterItsObject(string trailing)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var header = Tokens.Header(key.DefaultAlg, key.Kid).ToJsonString();
        var payload = Tokens.Claims(partner, Now).ToJsonString();

        // The same token without the trailing bytes verifies: the bytes are the only fault.
        var (control, _, _) = await api.PingAsync(Tokens.SignRaw(key, header, payload)).ReadAsync();
        var (status, body, _) = await api.PingAsync(Tokens.SignRaw(key, header, Tokens.Claims(partner, Now).ToJsonString() + trailing)).ReadAsync();

        Assert.Equal(200, control);
        Assert.Equal(401, status);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("{\"alg\":\"none\"}")]
    [InlineData("]")]
    public async Task Ping_RefusesHeaderWithAnythingAfterItsObject(string trailing)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var header = Tokens.Header(key.DefaultAlg, key.Kid).ToJsonString();

        var (status, body, _) = await api.PingAsync(Tokens.SignRaw(key, header + trailing, Tokens.Claims(partner, Now).ToJsonString())).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ping_AcceptsWhitespaceAroundTheObject()
    {
        // JSON text may have whitespace around its value (RFC 8259 §2); that is not a second value.
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var header = " " + Tokens.Header(key.DefaultAlg, key.Kid).ToJsonString() + "\r\n";

        var (status, _, _) = await api.PingAsync(Tokens.SignRaw(key, header, "\t" + Tokens.Claims(partner, Now).ToJsonString() + " \n")).ReadAsync();

        Assert.Equal(200, status);
    }

    public static TheoryData<string> AudiencesOfTheWrongType() => new()
    {
        "null",
        "[null,\"justgold-api\"]",
        "[\"justgold-api\",null]",
        "[\"justgold-api\",1]",
        "[[\"justgold-api\"]]",
        "[{\"aud\":\"justgold-api\"}]",
        "1",
        "true",
        "{\"aud\":\"justgold-api\"}",
    };

    [Theory]
    [MemberData(nameof(AudiencesOfTheWrongType))]
    public async Task Ping_RefusesAudienceThatIsNotAStringOrAnArrayOfStrings(string aud)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims["aud"] = JsonNode.Parse(aud);

        var (status, body, _) = await api.PingAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(401, status);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("[\"other-api\",\"justgold-api\"]", 200, null)]
    [InlineData("\"justgold-api\"", 200, null)]
    [InlineData("[]", 401, "invalid_audience")]
    [InlineData("[\"other-api\"]", 401, "invalid_audience")]
    public async Task Ping_ChecksAudienceStringsAgainstTheConfiguredOne(string aud, int expected, string? error)
    {
        var key = SharedKeys.RsaA;
        var partner = await api.CreatePartnerAsync(key);
        var claims = Tokens.Claims(partner, Now);
        claims["aud"] = JsonNode.Parse(aud);

        var (status, body, _) = await api.PingAsync(Tokens.Sign(key, claims)).ReadAsync();

        Assert.Equal(expected, status);
        if (error is not null)
        {
            Assert.Equal(error, body.GetProperty("error").GetString());
        }
    }
}
