using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using JustGold.Api.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// A real two-silo Orleans cluster (TestingHost, in process) with the product's grain services
/// on a shared SQLite file and one controllable clock, plus a verifier wired to its client.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // Silo configurators are created by type inside the test cluster, so they read these.
    private static readonly FakeTimeProvider SharedClock = new(DateTimeOffset.UtcNow);
    private static readonly string SharedDataDirectory = ApiFactory.NewDataDirectory();

    public TestCluster Cluster { get; private set; } = null!;

    public FakeTimeProvider Clock => SharedClock;

    public IGrainFactory Grains => Cluster.Client;

    internal PartnerTokenAuthenticator Authenticator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        var metrics = new PartnerAuthMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        Authenticator = new PartnerTokenAuthenticator(
            new PartnerKeyCache(Cluster.Client),
            new ConfirmationBatcher(Cluster.Client, new ConfirmationSender(new GatewayLossSignal(), Options.Create(new ClusterSettings()), TimeProvider.System, metrics, NullLogger<ConfirmationSender>.Instance)),
            Options.Create(new PartnerAuthOptions()),
            SharedClock,
            metrics,
            NullLogger<PartnerTokenAuthenticator>.Instance);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        ApiFixture.TryDelete(SharedDataDirectory);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = SharedDataDirectory })
                .Build();
            siloBuilder.AddPartnerAuthGrainServices(configuration);
            siloBuilder.Services.AddSingleton<TimeProvider>(SharedClock);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
