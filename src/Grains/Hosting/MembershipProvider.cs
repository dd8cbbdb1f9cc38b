namespace JustGold.Grains.Hosting;

/// <summary>How silos and clients find each other (<c>Cluster:Membership</c>).</summary>
public enum MembershipProvider
{
    Localhost,
    Postgres,
}
