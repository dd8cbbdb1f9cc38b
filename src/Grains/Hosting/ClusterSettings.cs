namespace JustGold.Grains.Hosting;

/// <summary>How silos and API nodes find each other (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Cluster";

    /// <summary>API only: <c>Embedded</c> runs a silo in the API process; <c>Client</c> joins silos elsewhere.</summary>
    public ApiMode Mode { get; set; } = ApiMode.Embedded;

    /// <summary><c>Localhost</c> (one machine, no database) or <c>Postgres</c> (ADO.NET clustering).</summary>
    public MembershipProvider Membership { get; set; } = MembershipProvider.Localhost;

    /// <summary>Npgsql connection string for membership; defaults to <c>Storage:ConnectionString</c>.</summary>
    public string? ConnectionString { get; set; }

    public string ClusterId { get; set; } = "justgold";

    public string ServiceId { get; set; } = "partner-auth";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a grain call may wait for its answer before it fails (and the API answers 503).
    /// Bounded so that callers fail fast, closed, while a silo or storage is out of reach.
    /// </summary>
    public int ResponseTimeoutSeconds { get; set; } = 10;

    /// <summary>API only: how often the client re-reads the gateway list (silos that joined or left).</summary>
    public int GatewayListRefreshSeconds { get; set; } = 5;
}

public enum ApiMode
{
    Embedded,
    Client,
}

public enum MembershipProvider
{
    Localhost,
    Postgres,
}
