using System.Text.Json.Nodes;
using JustGold.Api;
using JustGold.Api.Authentication;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Authentication;

/// <summary>
/// The form checks on their own, without HTTP or a cluster: what a token must look like before
/// any key is touched. The HTTP tests (PingApiTests) cover the same rules end to end.
/// </summary>
public sealed class TokenReaderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static JsonObject Header() => Tokens.Header("RS256", "kid-1");

    private static JsonObject Claims() => Tokens.Claims("acme", Now, jti: "jti-1");

    private static string Token(JsonNode header, JsonNode claims) => Tokens.Unsigned(header, claims, "c2ln");

    private static Reading<ParsedToken> Read(string raw) => TokenReader.Read(raw.AsMemory(), Tokens.Audience);

    [Fact]
    public void Read_WellFormedToken_GivesItsClaimsUntrusted()
    {
        var reading = Read(Token(Header(), Claims()));

        Assert.True(reading.Succeeded, reading.Problem);
        Assert.Equal("acme", reading.Value.Issuer);
        Assert.Equal("jti-1", reading.Value.Jti);
        Assert.Equal("kid-1", reading.Value.KeyId);
        Assert.Equal("order-service", reading.Value.Subject);
        Assert.Equal(Now.ToUnixTimeSeconds(), reading.Value.IssuedAt);
        Assert.Equal(Now.ToUnixTimeSeconds() + 300, reading.Value.ExpiresAt);
        Assert.Null(reading.Value.NotBefore);
        Assert.Equal("", reading.Problem);
    }

    [Fact]
    public void Read_FractionalNumericDateIsFloored()
    {
        var claims = Claims();
        claims["exp"] = Now.ToUnixTimeSeconds() + 300.9;

        var reading = Read(Token(Header(), claims));

        Assert.True(reading.Succeeded, reading.Problem);
        Assert.Equal(Now.ToUnixTimeSeconds() + 300, reading.Value.ExpiresAt);
    }

    [Theory]
    [InlineData("abcd.efgh", "three parts")]
    [InlineData("abcd.efgh.ijkl.mnop", "three parts")]
    [InlineData("eyJ=.eyJ.c2ln", "base64url")]
    [InlineData("ey+J.eyJ.c2ln", "base64url")]
    [InlineData(".eyJ.c2ln", "must not be empty")]
    public void Read_RefusesWhatIsNotCompactJws(string raw, string expected)
    {
        var reading = Read(raw);

        Assert.False(reading.Succeeded);
        Assert.Contains(expected, reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesTokenOver8KiBUnread()
    {
        var reading = Read(new string('a', TokenReader.MaxTokenLength + 1));

        Assert.False(reading.Succeeded);
        Assert.Contains("8 KiB", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesPayloadThatIsNotJson()
    {
        var reading = Read(Tokens.Encode(Header()) + "." + Tokens.EncodeRaw("not json") + ".c2ln");

        Assert.False(reading.Succeeded);
        Assert.Contains("JSON", reading.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("RSA-OAEP")]
    public void Read_RefusesAlgorithmsOutsideTheList(string alg)
    {
        var header = Header();
        header["alg"] = alg;

        var reading = Read(Token(header, Claims()));

        Assert.False(reading.Succeeded);
        Assert.Contains("algorithm", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesCritAndForeignTyp()
    {
        var crit = Header();
        crit["crit"] = new JsonArray("exp");
        var typ = Header();
        typ["typ"] = "JOSE+JSON";

        Assert.Contains("crit", Read(Token(crit, Claims())).Problem, StringComparison.Ordinal);
        Assert.Contains("typ", Read(Token(typ, Claims())).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    [InlineData("iat")]
    [InlineData("exp")]
    [InlineData("jti")]
    public void Read_RefusesMissingRequiredClaim(string claim)
    {
        var claims = Claims();
        claims.Remove(claim);

        var reading = Read(Token(Header(), claims));

        Assert.False(reading.Succeeded);
        Assert.Contains($"'{claim}'", reading.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exp", "\"1800000300\"")]
    [InlineData("iat", "true")]
    [InlineData("nbf", "-1")]
    [InlineData("exp", "1e400")]
    [InlineData("sub", "42")]
    [InlineData("sub", "{}")]
    [InlineData("iss", "7")]
    [InlineData("jti", "\"\"")]
    public void Read_RefusesClaimOfTheWrongType(string claim, string json)
    {
        var claims = Claims();
        claims[claim] = JsonNode.Parse(json);

        Assert.False(Read(Token(Header(), claims)).Succeeded);
    }

    [Fact]
    public void Read_JtiLimitCountsCharactersNotUtf16Units()
    {
        var longest = Claims();
        longest["jti"] = string.Concat(Enumerable.Repeat("\U0001F600", TokenReader.MaxJtiLength));
        var tooLong = Claims();
        tooLong["jti"] = new string('j', TokenReader.MaxJtiLength + 1);

        Assert.True(Read(Token(Header(), longest)).Succeeded);
        Assert.Contains("256", Read(Token(Header(), tooLong)).Problem, StringComparison.Ordinal);
    }
}
