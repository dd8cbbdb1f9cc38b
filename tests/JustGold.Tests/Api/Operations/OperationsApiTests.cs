using System.Text;
using JustGold.Grains.Diagnostics;
using JustGold.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JustGold.Tests.Api.Operations;

/// <summary>Health, readiness, metrics, and what the logs never contain.</summary>
public sealed class OperationsApiTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private ApiFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new ApiFactory(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock(),
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            services => services.AddSingleton<ILoggerProvider>(_logs));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        ApiFixture.TryDelete(_factory.DataDirectory);
    }

    [Fact]
    public void TheNodeReadsItsConfigurationFilesOnceAndWatchesNothing()
    {
        // Options are validated at start; a host that reloads would also watch the whole content
        // root, where the default data directory (and every replay record written) lives.
        _ = _factory.CreateClient();
        var root = (Microsoft.Extensions.Configuration.IConfigurationRoot)_factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var files = root.Providers.OfType<Microsoft.Extensions.Configuration.FileConfigurationProvider>().ToList();

        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path));
    }

    [Fact]
    public async Task Healthz_And_Readyz_AnswerOk()
    {
        var client = _factory.CreateClient();

        Assert.Equal(200, (await client.GetAsync("/healthz").ReadAsync()).Status);
        var (status, body, _) = await client.GetAsync("/readyz").ReadAsync();
        Assert.Equal(200, status);
        Assert.Equal("ready", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_And_Readyz_AnswerTheSharedBodyShape_NeverCached()
    {
        var client = _factory.CreateClient();

        foreach (var (path, expected) in new[]
        {
            ("/healthz", """{"status":"alive"}"""),
            ("/readyz", """{"status":"ready","checks":{"cluster":"healthy"}}"""),
        })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Metrics_CountVerificationsByResult()
    {
        var admin = _factory.CreateAdminClient();
        var key = TestKey.P256();
        var partner = ApiFixture.NewPartnerId();
        await admin.RegisterPartnerAsync(partner, key);
        var client = _factory.CreateClient();
        var token = Tokens.Sign(key, Tokens.Claims(partner, _factory.Clock.GetUtcNow()));
        await client.PingAsync(token);
        await client.PingAsync(token);

        var text = await client.GetStringAsync("/metrics");

        Assert.Contains("partner_auth_verifications_total{", text);
        Assert.Contains("result=\"ok\"", text);
        Assert.Contains("result=\"replayed_token\"", text);
        Assert.Contains("partner_auth_verification_duration_seconds_bucket", text);
        Assert.Contains("partner_auth_replay_records_written_total", text);
        Assert.Contains("partner_auth_partner_grains_active", text);
    }

    [Fact]
    public async Task Metrics_ExportOrleans_ButNotItsPerMessageInstruments()
    {
        // Two grain calls went through: Orleans would have recorded each message and lookup.
        var admin = _factory.CreateAdminClient();
        var key = TestKey.P256();
        var partner = ApiFixture.NewPartnerId();
        await admin.RegisterPartnerAsync(partner, key);
        var client = _factory.CreateClient();
        var (status, _, _) = await client.PingAsync(Tokens.Sign(key, Tokens.Claims(partner, _factory.Clock.GetUtcNow()))).ReadAsync();

        var names = (await client.GetStringAsync("/metrics")).Split('\n')
            .Where(line => line.StartsWith("orleans_", StringComparison.Ordinal))
            .Select(line => line.Split('{', ' ')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(200, status);
        Assert.Contains("orleans_catalog_activations", names);
        Assert.Contains("orleans_directory_registrations_total", names);
        foreach (var instrument in PartnerAuthMetrics.UnexportedPerMessageInstruments)
        {
            var prefix = instrument.Replace('-', '_');
            Assert.DoesNotContain(names, name => name.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Logs_NeverContainTokensOrKeyMaterial()
    {
        var admin = _factory.CreateAdminClient();
        var key = SharedKeys.RsaA;
        var partner = ApiFixture.NewPartnerId();
        await admin.RegisterPartnerAsync(partner, key);
        using var privateKey = System.Security.Cryptography.RSA.Create(2048);
        var privatePem = privateKey.ExportPkcs8PrivateKeyPem();
        await admin.PostAsync($"/admin/partners/{partner}/keys", new StringContent(privatePem, Encoding.UTF8, "application/x-pem-file"));
        var client = _factory.CreateClient();
        var good = Tokens.Sign(key, Tokens.Claims(partner, _factory.Clock.GetUtcNow()));
        var forged = Tokens.Sign(SharedKeys.RsaB, Tokens.Claims(partner, _factory.Clock.GetUtcNow()), withKid: false);
        await client.PingAsync(good);
        await client.PingAsync(good);
        await client.PingAsync(forged);

        var everything = string.Join('\n', _logs.Lines);

        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(partner, everything);
        foreach (var token in new[] { good, forged })
        {
            Assert.DoesNotContain(token, everything);
            Assert.DoesNotContain(token.Split('.')[2], everything);
        }

        var privateBody = privatePem.Split('\n')[1];
        Assert.DoesNotContain(privateBody, everything);
        Assert.DoesNotContain("PRIVATE KEY", everything);
    }
}
