using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace JustGold.Grains.Hosting;

/// <summary>
/// Binds the <c>Cluster</c> section once and checks it before any builder uses it: a bad value
/// stops start-up with an <see cref="OptionsValidationException"/> whose message names the key,
/// instead of failing later, deep inside Orleans or a socket call.
/// </summary>
public static class ClusterSettingsReader
{
    public const string LivenessSection = $"{ClusterSettings.SectionName}:Liveness";

    /// <summary>The checked settings; throws <see cref="OptionsValidationException"/> listing every bad key.</summary>
    public static ClusterSettings Read(IConfiguration configuration)
    {
        var failures = new List<string>();
        var cluster = Bind<ClusterSettings>(configuration.GetSection(ClusterSettings.SectionName), failures) ?? new ClusterSettings();
        var liveness = Bind<ClusterMembershipOptions>(configuration.GetSection(LivenessSection), failures);
        var rebalancing = Bind<PartnerRebalancingOptions>(configuration.GetSection(PartnerRebalancingOptions.SectionName), failures);
        if (failures.Count == 0)
        {
            failures.AddRange(Check(cluster, configuration));
            if (liveness is not null)
            {
                failures.AddRange(Check(liveness));
            }

            failures.AddRange(Check(rebalancing ?? new PartnerRebalancingOptions()));
        }

        return failures.Count == 0 ? cluster : throw new OptionsValidationException(ClusterSettings.SectionName, typeof(ClusterSettings), failures);
    }

    /// <summary>The membership database: <c>Cluster:ConnectionString</c>, else <c>Storage:ConnectionString</c>.</summary>
    public static string? MembershipConnectionString(IConfiguration configuration, ClusterSettings cluster) =>
        string.IsNullOrWhiteSpace(cluster.ConnectionString) ? configuration["Storage:ConnectionString"] : cluster.ConnectionString;

    private static T? Bind<T>(IConfigurationSection section, List<string> failures)
        where T : class
    {
        try
        {
            return section.Get<T>();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key and the value it could not convert.
            failures.Add(ex.Message);
            return null;
        }
    }

    private static IEnumerable<string> Check(ClusterSettings cluster, IConfiguration configuration)
    {
        const string Section = ClusterSettings.SectionName;
        if (!Enum.IsDefined(cluster.Mode))
        {
            yield return $"{Section}:Mode must be Embedded or Client.";
        }

        if (!Enum.IsDefined(cluster.Membership))
        {
            yield return $"{Section}:Membership must be Localhost or Postgres.";
        }

        if (string.IsNullOrWhiteSpace(cluster.ClusterId))
        {
            yield return $"{Section}:ClusterId must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(cluster.ServiceId))
        {
            yield return $"{Section}:ServiceId must not be empty.";
        }

        foreach (var (key, port) in new[] { ("SiloPort", cluster.SiloPort), ("GatewayPort", cluster.GatewayPort) })
        {
            if (port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
            {
                yield return Invariant($"{Section}:{key} must be a port from 1 to 65535 (was {port}).");
            }
        }

        if (cluster.SiloPort == cluster.GatewayPort)
        {
            yield return Invariant($"{Section}:SiloPort and {Section}:GatewayPort must differ (both {cluster.SiloPort}).");
        }

        if (!IPAddress.TryParse(cluster.AdvertisedAddress, out _))
        {
            yield return $"{Section}:AdvertisedAddress must be an IP address (was '{cluster.AdvertisedAddress}').";
        }

        foreach (var (key, value) in new[]
        {
            ("ResponseTimeoutSeconds", cluster.ResponseTimeoutSeconds),
            ("GatewayLossGraceMilliseconds", cluster.GatewayLossGraceMilliseconds),
            ("ConfirmationTimeoutMilliseconds", cluster.ConfirmationTimeoutMilliseconds),
            ("GatewayListRefreshSeconds", cluster.GatewayListRefreshSeconds),
        })
        {
            if (value <= 0)
            {
                yield return Invariant($"{Section}:{key} must be above zero (was {value}).");
            }
        }

        if (cluster.Membership == MembershipProvider.Postgres && string.IsNullOrWhiteSpace(MembershipConnectionString(configuration, cluster)))
        {
            yield return $"{Section}:ConnectionString (or Storage:ConnectionString) is required when {Section}:Membership is Postgres.";
        }
    }

    private static IEnumerable<string> Check(PartnerRebalancingOptions rebalancing)
    {
        const string Section = PartnerRebalancingOptions.SectionName;
        foreach (var (key, value, min, max) in new[]
        {
            (nameof(rebalancing.StartDelaySeconds), rebalancing.StartDelaySeconds, 1, 3600),
            (nameof(rebalancing.PeriodSeconds), rebalancing.PeriodSeconds, 1, 3600),
            (nameof(rebalancing.TolerancePercent), rebalancing.TolerancePercent, 0, 100),
            (nameof(rebalancing.MaxMovesPerRound), rebalancing.MaxMovesPerRound, 1, 100_000),
        })
        {
            if (value < min || value > max)
            {
                yield return Invariant($"{Section}:{key} must be from {min} to {max} (was {value}).");
            }
        }
    }

    private static IEnumerable<string> Check(ClusterMembershipOptions liveness)
    {
        foreach (var (key, value) in new[]
        {
            (nameof(liveness.ProbeTimeout), liveness.ProbeTimeout),
            (nameof(liveness.TableRefreshTimeout), liveness.TableRefreshTimeout),
            (nameof(liveness.DeathVoteExpirationTimeout), liveness.DeathVoteExpirationTimeout),
            (nameof(liveness.IAmAliveTablePublishTimeout), liveness.IAmAliveTablePublishTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return Invariant($"{LivenessSection}:{key} must be above zero (was {value}).");
            }
        }

        foreach (var (key, value) in new[]
        {
            (nameof(liveness.NumMissedProbesLimit), liveness.NumMissedProbesLimit),
            (nameof(liveness.NumVotesForDeathDeclaration), liveness.NumVotesForDeathDeclaration),
            (nameof(liveness.NumProbedSilos), liveness.NumProbedSilos),
        })
        {
            if (value < 1)
            {
                yield return Invariant($"{LivenessSection}:{key} must be at least 1 (was {value}).");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
