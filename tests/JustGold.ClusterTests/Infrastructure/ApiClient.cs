using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>The calls the tests make on one API node.</summary>
public sealed class ApiClient(HttpClient http, Uri baseUri)
{
    public Uri BaseUri => baseUri;

    public async Task<HttpStatusCode> PutPartnerAsync(string partnerId, string name)
    {
        using var request = Admin(HttpMethod.Put, $"/admin/partners/{partnerId}");
        request.Content = JsonContent.Create(new { name });
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Uploads the public key and returns its kid.</summary>
    public async Task<string> UploadKeyAsync(string partnerId, string publicKeyPem)
    {
        using var request = Admin(HttpMethod.Post, $"/admin/partners/{partnerId}/keys");
        request.Content = new StringContent(publicKeyPem, Encoding.ASCII, "application/x-pem-file");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"key upload: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("kid").GetString()!;
    }

    public async Task<HttpStatusCode> RevokeKeyAsync(string partnerId, string kid)
    {
        using var request = Admin(HttpMethod.Delete, $"/admin/partners/{partnerId}/keys/{kid}");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>GET under /admin: status and body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAdminAsync(string path)
    {
        using var request = Admin(HttpMethod.Get, path);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET /v1/ping with the token: the status and the error code (null on success).</summary>
    public async Task<(HttpStatusCode Status, string? Error)> PingAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "/v1/ping"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return (response.StatusCode, json.RootElement.TryGetProperty("error", out var error) ? error.GetString() : body);
        }
        catch (JsonException)
        {
            return (response.StatusCode, body);
        }
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(baseUri, path));
        return response.StatusCode;
    }

    public Task<string> GetTextAsync(string path) => http.GetStringAsync(new Uri(baseUri, path));

    private HttpRequestMessage Admin(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        request.Headers.Add("X-Admin-Key", ClusterHarness.AdminKey);
        return request;
    }
}
