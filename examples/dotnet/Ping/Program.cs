// Signs a short-lived JWT with the partner's private key and calls GET /v1/ping.
//
//   JUSTGOLD_URL         base URL of the API (default http://127.0.0.1:8080)
//   JUSTGOLD_PARTNER_ID  your partner id; goes into "iss"
//   JUSTGOLD_KEY_FILE    path of your private key in PEM (RSA, or EC P-256)
//   JUSTGOLD_KID         optional: the kid JustGold gave your public key
//   JUSTGOLD_SEND_TWICE  set to 1 to send the same token twice (the second call is refused as replayed_token)
using System.Net.Http.Headers;
using JustGold.PartnerClient;

static string Setting(string name, string? fallback = null) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value
    : fallback ?? throw new InvalidOperationException($"Set {name}.");

var baseUrl = new Uri(Setting("JUSTGOLD_URL", "http://127.0.0.1:8080").TrimEnd('/') + "/");
var credentials = PartnerSigningKey.FromPemFile(Setting("JUSTGOLD_KEY_FILE"), Environment.GetEnvironmentVariable("JUSTGOLD_KID"));
var tokens = new PartnerTokenFactory(credentials, new PartnerTokenOptions
{
    PartnerId = Setting("JUSTGOLD_PARTNER_ID"),
    Subject = "ping-example",
    Lifetime = TimeSpan.FromSeconds(60),
});

int status;
if (Environment.GetEnvironmentVariable("JUSTGOLD_SEND_TWICE") == "1")
{
    // One token sent twice on purpose: the second call is refused with 401 replayed_token.
    using var plain = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    var token = tokens.CreateToken();
    status = await PingAsync(plain, token);
    await PingAsync(plain, token);
}
else
{
    // The usual way: the handler signs every request with a fresh token.
    using var client = new HttpClient(new PartnerTokenHandler(tokens) { InnerHandler = new HttpClientHandler() })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(10),
    };
    status = await PingAsync(client, token: null);
}

return status == 200 ? 0 : 1;

static async Task<int> PingAsync(HttpClient client, string? token)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "v1/ping");
    if (token is not null)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    using var response = await client.SendAsync(request);
    Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    if (response.Headers.WwwAuthenticate.Count > 0)
    {
        Console.WriteLine($"WWW-Authenticate: {response.Headers.WwwAuthenticate}");
    }

    return (int)response.StatusCode;
}
