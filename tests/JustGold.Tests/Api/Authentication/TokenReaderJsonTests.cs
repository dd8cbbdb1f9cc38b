using System.Text;
using JustGold.Api;
using JustGold.Api.Authentication;
using JustGold.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using TokenReader = JustGold.Api.Authentication.TokenReader;

namespace JustGold.Tests.Api.Authentication;

/// <summary>
/// The header and payload as JSON text written by hand, for what a JSON library would normalize away:
/// names given twice, escapes, JSON null, numbers out of range, text that is not text. Each case gives the
/// answer IdentityModel's reader gave before the single-pass readers replaced it (the messages of a few
/// wrong types are now the precise ones; every refusal is still invalid_token).
/// </summary>
public sealed class TokenReaderJsonTests
{
    private const string Header = """{"alg":"RS256","kid":"kid-1"}""";
    private const string Claims = "\"iss\":\"acme\",\"aud\":\"justgold-api\",\"iat\":1800000000,\"exp\":1800000300,\"jti\":\"jti-1\"";

    private static Reading<ParsedToken> Read(string header, string payload) =>
        TokenReader.Read((Encode(header) + "." + Encode(payload) + ".c2ln").AsMemory(), Tokens.Audience);

    private static Reading<ParsedToken> ReadClaims(string extra) => Read(Header, "{" + Claims + "," + extra + "}");

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("\"iss\":\"other\"", "other", "jti-1")]
    [InlineData("\"jti\":\"second\"", "acme", "second")]
    [InlineData("\"j\\u0074i\":\"escaped-name\"", "acme", "escaped-name")]
    [InlineData("\"jti\":\"a\\u0000b\"", "acme", "a\0b")]
    [InlineData("\"x\":{\"jti\":\"nested\",\"iss\":\"nested\"}", "acme", "jti-1")]
    public void Read_ClaimGivenTwiceCountsAsWrittenLast_NestedNamesAreNotClaims(string extra, string issuer, string jti)
    {
        var reading = ReadClaims(extra);

        Assert.True(reading.Succeeded, reading.Problem);
        Assert.Equal(issuer, reading.Value.Issuer);
        Assert.Equal(jti, reading.Value.Jti);
    }

    [Theory]
    [InlineData("\"aud\":\"x\",\"aud\":\"justgold-api\"", true)]
    [InlineData("\"aud\":\"justgold-api\",\"aud\":\"x\"", false)]
    [InlineData("\"aud\":[\"x\",\"justgold-\\u0061pi\"]", true)]
    [InlineData("\"aud\":[]", false)]
    [InlineData("\"aud\":\"JUSTGOLD-API\"", false)]
    public void Read_AudienceIsComparedExactlyAsWrittenLast(string extra, bool names)
    {
        var reading = ReadClaims(extra);

        Assert.True(reading.Succeeded, reading.Problem);
        Assert.Equal(names, reading.Value.NamesAudience);
    }

    [Theory]
    [InlineData("\"jti\":5", "JSON")]
    [InlineData("\"jti\":[\"a\"]", "JSON")]
    [InlineData("\"jti\":null", "'jti'")]
    [InlineData("\"iss\":null", "'iss'")]
    [InlineData("\"iss\":[\"acme\"]", "JSON")]
    [InlineData("\"aud\":null", "'aud'")]
    [InlineData("\"aud\":5", "'aud'")]
    [InlineData("\"aud\":[\"x\",null]", "'aud'")]
    [InlineData("\"sub\":null", "'sub'")]
    [InlineData("\"exp\":18000003000000000000000", "NumericDate")]
    [InlineData("\"nbf\":1e400", "NumericDate")]
    [InlineData("\"iat\":null", "NumericDate")]
    [InlineData("\"jti\":\"\\ud800\"", "JSON")]
    [InlineData("\"x\":[\"\\udc00\"]", "JSON")]
    public void Read_RefusesWrongTypesAndTextThatIsNotText(string extra, string expected)
    {
        var reading = ReadClaims(extra);

        Assert.False(reading.Succeeded);
        Assert.Contains(expected, reading.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alg":"RS256","kid":"a","kid":"b"}""", "RS256", "b")]
    [InlineData("""{"alg":"HS256","alg":"RS256"}""", "RS256", null)]
    [InlineData("""{"al\u0067":"RS\u0032\u00356","kid":null}""", "RS256", null)]
    [InlineData("""{"alg":"ES256","kid":"","typ":"at+JWT"}""", "ES256", null)]
    [InlineData("""{"alg":"RS256","typ":null,"x":{"alg":"HS256"},"jwk":{"kty":"RSA"}} """, "RS256", null)]
    public void Read_HeaderNamesCountAsWrittenLast(string header, string alg, string? kid)
    {
        var reading = Read(header, "{" + Claims + "}");

        Assert.True(reading.Succeeded, reading.Problem);
        Assert.Equal(alg, reading.Value.Algorithm);
        Assert.Equal(kid, reading.Value.KeyId);
    }

    [Theory]
    [InlineData("""{"alg":"RS256","alg":"HS256"}""", "algorithm")]
    [InlineData("""{"alg":null}""", "algorithm")]
    [InlineData("""{"alg":"rs256"}""", "algorithm")]
    [InlineData("""{"alg":5}""", "JSON")]
    [InlineData("""{"alg":"RS256","kid":5}""", "JSON")]
    [InlineData("""{"alg":"RS256","typ":5}""", "JSON")]
    [InlineData("""{"alg":"RS256","crit":null}""", "crit")]
    [InlineData("""{"alg":"RS256","typ":"JWTX"}""", "typ")]
    [InlineData("""[{"alg":"RS256"}]""", "JSON")]
    [InlineData("""{"alg":"RS256"}{}""", "exactly one JSON object")]
    public void Read_RefusesHeaderThatIsNotOurs(string header, string expected)
    {
        var reading = Read(header, "{" + Claims + "}");

        Assert.False(reading.Succeeded);
        Assert.Contains(expected, reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesInvalidUtf8EvenInClaimsItDoesNotUse()
    {
        var payload = Encoding.UTF8.GetBytes("{" + Claims + ",\"x\":\"??\"}");
        payload[^3] = 0xC3;
        payload[^4] = 0xFF;
        var raw = Encode(Header) + "." + Base64UrlEncoder.Encode(payload) + ".c2ln";

        var reading = TokenReader.Read(raw.AsMemory(), Tokens.Audience);

        Assert.False(reading.Succeeded);
        Assert.Contains("JSON", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KeepsTheTokenAsASliceOfTheHeader()
    {
        var raw = Encode(Header) + "." + Encode("{" + Claims + "}") + ".c2ln";
        var header = "Bearer  " + raw + " ";

        var reading = TokenReader.Read(BearerToken.FromHeader(header), Tokens.Audience);

        Assert.True(reading.Succeeded, reading.Problem);
        Assert.Equal(raw[..raw.LastIndexOf('.')], reading.Value.SigningInput.ToString());
        Assert.Equal("c2ln", reading.Value.EncodedSignature.ToString());
    }
}
