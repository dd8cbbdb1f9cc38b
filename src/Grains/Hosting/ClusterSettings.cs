namespace JustGold.Grains.Hosting;

/// <summary>
/// How silos and API nodes find each other (configuration section <c>Cluster</c>). Read once,
/// at start-up, through <see cref="ClusterSettingsReader"/>, which refuses bad values by key.
/// </summary>
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
    /// The backstop for calls that have no shorter deadline of their own (admin calls, key reads).
    /// </summary>
    public int ResponseTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// API only: how long a token's confirmation may wait for its grain before the API answers
    /// 503. Normally a few milliseconds; this bounds what a partner waits while a silo dies.
    /// </summary>
    public int ConfirmationTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>API only: how often the client re-reads the gateway list (silos that joined or left).</summary>
    public int GatewayListRefreshSeconds { get; set; } = 5;
}
