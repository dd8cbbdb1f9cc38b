using System.Data.Common;
using System.Net;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Partners;
using JustGold.Grains.Storage;
using JustGold.Grains.Storage.Journal;
using JustGold.Grains.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace JustGold.Grains.Hosting;

/// <summary>Wires silos, clients and storage from configuration; shared by src/Silo, src/Api and the tests.</summary>
public static class PartnerAuthHosting
{
    /// <summary>Makes this host a silo: clustering, grains' storage, group commit and housekeeping.</summary>
    public static ISiloBuilder AddPartnerAuthSilo(this ISiloBuilder silo, IConfiguration configuration, ClusterSettings? cluster = null)
    {
        cluster = UseClusterSettings(silo.Services, configuration, cluster);
        if (cluster.Membership == MembershipProvider.Postgres)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = ClusterSettingsReader.MembershipConnectionString(configuration, cluster);
            });
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            silo.AddPartnerRebalancing(configuration);
        }
        else
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        }

        // Silo-to-silo calls fail fast too. Failure detection: LAN defaults, then Cluster:Liveness on top.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(cluster.ResponseTimeoutSeconds));
        silo.Configure<ClusterMembershipOptions>(LanLiveness.Apply);
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection(ClusterSettingsReader.LivenessSection));
        return silo.AddPartnerAuthGrainServices(configuration);
    }

    /// <summary>What grains need on any silo, whatever finds the other silos: storage, group commit, housekeeping.</summary>
    public static ISiloBuilder AddPartnerAuthGrainServices(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddPartnerAuthCore(configuration);
        silo.Services.AddPartnerAuthStorage(configuration);
        silo.Services.TryAddSingleton<LocalPartnerGrains>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInitializer>();
        return silo;
    }

    /// <summary>Makes this host a client of silos elsewhere.</summary>
    public static IClientBuilder AddPartnerAuthClient(this IClientBuilder client, IConfiguration configuration, ClusterSettings? cluster = null)
    {
        cluster = UseClusterSettings(client.Services, configuration, cluster);
        if (cluster.Membership == MembershipProvider.Postgres)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = ClusterSettingsReader.MembershipConnectionString(configuration, cluster);
            });
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }

        // Start even when no silo is reachable, keep trying, and fail grain calls fast meanwhile.
        client.UseConnectionRetryFilter<ClusterConnectionRetryFilter>();
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(cluster.ResponseTimeoutSeconds));
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(cluster.GatewayListRefreshSeconds));

        client.Services.AddPartnerAuthCore(configuration);
        return client;
    }

    /// <summary>What both sides use: token rules, the clock and metrics.</summary>
    public static IServiceCollection AddPartnerAuthCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PartnerAuthOptions>()
            .Bind(configuration.GetSection(PartnerAuthOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PartnerAuthMetrics>();
        return services;
    }

    private static IServiceCollection AddPartnerAuthStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage:ConnectionString is required when Storage:Provider is Postgres.")
            .ValidateOnStart();
        services.TryAddSingleton<IPartnerStore>(sp => CreateStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp));
        // One pool for partners and replay records; only resolved with the Postgres provider.
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
        services.TryAddSingleton<IReplayStore>(sp => CreateReplayStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp));
        services.TryAddSingleton<ReplayRecordWriter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReplayWriterLifecycle>();
        services.AddHostedService<ReplayRecordJanitor>();
        return services;
    }

    private static SqlPartnerStore CreateStore(StorageOptions options, IServiceProvider services)
    {
        if (options.Provider == StorageProvider.Postgres)
        {
            return new SqlPartnerStore(services.GetRequiredService<NpgsqlDataSource>(), SqlDialect.Postgres, [SchemaScripts.OrleansClusteringPostgres]);
        }

        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "partner-auth.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        DbDataSource dataSource = SqliteFactory.Instance.CreateDataSource(connectionString);
        return new SqlPartnerStore(dataSource, SqlDialect.Sqlite);
    }

    private static IReplayStore CreateReplayStore(StorageOptions options, IServiceProvider services)
    {
        if (options.Provider == StorageProvider.Postgres)
        {
            // Partitions exist as far ahead as a token's forget-at can be: exp may be a lifetime
            // past an iat up to one skew ahead, and forget-at adds the skew once more.
            var auth = services.GetRequiredService<IOptions<PartnerAuthOptions>>().Value;
            return new PostgresReplayStore(
                services.GetRequiredService<NpgsqlDataSource>(),
                options.ReplaySegmentSeconds,
                auth.MaxTokenLifetimeSeconds + 2 * auth.ClockSkewSeconds);
        }

        var directory = Path.Combine(Path.GetFullPath(options.DataDirectory), "replay");
        return new JournalReplayStore(directory, options.ReplaySegmentSeconds, services.GetRequiredService<TimeProvider>());
    }

    /// <summary>The checked Cluster section (read here unless the caller already has it), shared as options, and this host's cluster identity.</summary>
    private static ClusterSettings UseClusterSettings(IServiceCollection services, IConfiguration configuration, ClusterSettings? cluster)
    {
        cluster ??= ClusterSettingsReader.Read(configuration);
        services.TryAddSingleton(Options.Create(cluster));
        services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        return cluster;
    }
}
