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
    /// The backstop: it bounds calls lost without a dropped connection (a silo that hangs or a
    /// network that silently drops packets), until membership declares the silo dead.
    /// </summary>
    public int ResponseTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// API nodes in <c>Client</c> mode: how long a token's confirmation that was out when a
    /// gateway connection dropped may still wait before the API answers 503. A killed silo's
    /// connections drop at once, so this bounds what its partners wait.
    /// </summary>
    public int GatewayLossGraceMilliseconds { get; set; } = 500;

    /// <summary>
    /// API nodes: the longest a token's confirmation waits for its grain before the API answers
    /// 503. It bounds calls lost inside the cluster (forwarded to a silo that then died), and
    /// stays above what a slow but live call takes, so a busy cluster is not turned into 503s.
    /// </summary>
    public int ConfirmationTimeoutMilliseconds { get; set; } = 2000;

    /// <summary>API only: how often the client re-reads the gateway list (silos that joined or left).</summary>
    public int GatewayListRefreshSeconds { get; set; } = 5;
}
