using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// An API of its own whose every log line is kept, logging as shipped (appsettings.json's category levels,
/// whose default is Information; the tests' usual Warning default is lifted) plus the product's own
/// categories at Debug, so per-request lines are seen too. Use it as a class fixture or per test.
/// </summary>
public sealed class LoggedApi : IAsyncLifetime, IAsyncDisposable
{
    public LoggedApi()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:JustGold"] = "Debug",
        };
        Factory = new ApiFactory(ApiFactory.NewDataDirectory(), ApiFactory.AdminKey, ApiFactory.NewClock(), settings,
            services => services.AddSingleton<ILoggerProvider>(Logs));
        Client = Factory.CreateClient();
        Admin = Factory.CreateAdminClient();
    }

    public ApiFactory Factory { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    /// <summary>The lines at Information or above, in the order they were written.</summary>
    public List<string> InformationLines() =>
        [.. Logs.Lines.Where(l => !l.StartsWith("Debug ", StringComparison.Ordinal) && !l.StartsWith("Trace ", StringComparison.Ordinal))];

    public async Task<string> CreatePartnerAsync(params TestKey[] keys)
    {
        var partner = ApiFixture.NewPartnerId();
        await Admin.RegisterPartnerAsync(partner, keys);
        return partner;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        ApiFixture.TryDelete(Factory.DataDirectory);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
