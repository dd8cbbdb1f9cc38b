using System.Text;
using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Api.Admin;

/// <summary>
/// Issue 10, item 1 (names): a partner name is at most 200 characters, counted as Unicode scalar values
/// (what PostgreSQL's char_length counts), and holds no control characters; anything else is
/// 400 invalid_request and nothing is stored, in every storage backend alike.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PartnerNameTests(ApiFixture api)
{
    public static TheoryData<string> UnacceptableNames() => new()
    {
        "Acme\u0000Ltd",
        "Acme\nLtd",
        "Acme\tLtd",
        "Acme\r",
        "\u001b[31mAcme",
        "Acme\u007f",
        "Acme\u0085Ltd",
        new string('a', 201),
        string.Concat(Enumerable.Repeat("\U0001F947", 201)),
    };

    [Theory]
    [MemberData(nameof(UnacceptableNames))]
    public async Task PutPartner_RefusesNamesWithControlCharactersOrOver200Characters(string name)
    {
        var id = ApiFixture.NewPartnerId();

        var (status, body, _) = await api.Admin.PutAsync($"/admin/partners/{id}", JsonBody(name)).ReadAsync();

        Assert.True(status == 400, body.ToString());
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        var (fetched, _, _) = await api.Admin.GetAsync($"/admin/partners/{id}").ReadAsync();
        Assert.Equal(404, fetched);
    }

    public static TheoryData<string> AcceptableNames() => new()
    {
        new string('a', 200),
        // 200 characters that take 400 UTF-16 code units.
        string.Concat(Enumerable.Repeat("\U0001F947", 200)),
        "Zürich Gold AG · 金庫 株式会社 — e\u0301",
    };

    [Theory]
    [MemberData(nameof(AcceptableNames))]
    public async Task PutPartner_KeepsNamesOfUpTo200CharactersExactly(string name)
    {
        var id = ApiFixture.NewPartnerId();

        var (status, _, _) = await api.Admin.PutAsync($"/admin/partners/{id}", JsonBody(name)).ReadAsync();
        var (_, fetched, _) = await api.Admin.GetAsync($"/admin/partners/{id}").ReadAsync();

        Assert.Equal(201, status);
        Assert.Equal(name, fetched.GetProperty("name").GetString());
    }

    // A lone surrogate is no character: it has no UTF-8 form (PostgreSQL could not store it), and the JSON
    // reader cannot make a string of it. Written as JSON text here, since theory data would replace it.
    [Theory]
    [InlineData("{\"name\":\"Acme\\ud800Ltd\"}")]
    [InlineData("{\"name\":\"Acme\\udc00\"}")]
    [InlineData("{\"status\":\"\\ud800\"}")]
    [InlineData("{\"name\":\"ok\",\"status\":\"active\\udfff\"}")]
    public async Task PutPartner_RefusesFieldsThatAreNotText(string json)
    {
        var id = ApiFixture.NewPartnerId();

        var (status, body, _) = await api.Admin.PutAsync($"/admin/partners/{id}", new StringContent(json, Encoding.UTF8, "application/json")).ReadAsync();

        Assert.True(status == 400, body.ToString());
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    // Every UTF-16 code unit outside printable ASCII as a \uXXXX escape: the server reads exactly these characters.
    private static StringContent JsonBody(string name)
    {
        var json = new StringBuilder("{\"name\":\"");
        foreach (var c in name)
        {
            json.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return new StringContent(json.Append("\"}").ToString(), Encoding.UTF8, "application/json");
    }
}
