using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// The real API, embedded silo and all, on the ASP.NET test server: its own data directory,
/// its own silo ports and a clock the test moves.
/// </summary>
public sealed class ApiFactory(
    string dataDirectory,
    string? adminKey,
    FakeTimeProvider clock,
    IDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-4b1d";

    public FakeTimeProvider Clock { get; } = clock;

    public string DataDirectory { get; } = dataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Admin:ApiKey", adminKey ?? "");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Cluster:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Cluster:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(s);
        });
    }

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        return client;
    }

    public static FakeTimeProvider NewClock() => new(DateTimeOffset.UtcNow);

    public static string NewDataDirectory() =>
        Directory.CreateTempSubdirectory("justgold-test-").FullName;
}

/// <summary>One API for a whole test collection; tests keep apart by using their own partner ids.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private ApiFactory? _factory;

    public ApiFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public FakeTimeProvider Clock => Factory.Clock;

    public Task InitializeAsync()
    {
        _factory = new ApiFactory(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock());
        Client = _factory.CreateClient();
        Admin = _factory.CreateAdminClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            TryDelete(_factory.DataDirectory);
        }
    }

    /// <summary>A fresh partner id, unique to the calling test.</summary>
    public static string NewPartnerId(string prefix = "p") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];

    /// <summary>Registers a partner and uploads each key, setting each key's kid.</summary>
    public async Task<string> CreatePartnerAsync(params TestKey[] keys)
    {
        var partnerId = NewPartnerId();
        await Admin.RegisterPartnerAsync(partnerId, keys);
        return partnerId;
    }

    public Task<HttpResponseMessage> PingAsync(string? token) => Client.PingAsync(token);

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class ApiClientExtensions
{
    public static async Task RegisterPartnerAsync(this HttpClient admin, string partnerId, params TestKey[] keys)
    {
        var created = await admin.PutAsJsonAsync($"/admin/partners/{partnerId}", new { name = "Test partner " + partnerId });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        foreach (var key in keys)
        {
            key.Kid = await admin.UploadKeyAsync(partnerId, key.PublicPem);
        }
    }

    public static async Task<string> UploadKeyAsync(this HttpClient admin, string partnerId, string pem)
    {
        using var content = new StringContent(pem, System.Text.Encoding.UTF8, "application/x-pem-file");
        var response = await admin.PostAsync($"/admin/partners/{partnerId}/keys", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("kid").GetString()!;
    }

    public static Task<HttpResponseMessage> PingAsync(this HttpClient client, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return client.SendAsync(request);
    }

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> ReadAsync(this Task<HttpResponseMessage> pending)
    {
        var response = await pending;
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body, response);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
