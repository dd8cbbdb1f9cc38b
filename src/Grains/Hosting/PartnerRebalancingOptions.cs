namespace JustGold.Grains.Hosting;

/// <summary>
/// How partner grains spread over the silos again after one returns (section <c>Cluster:Rebalancing</c>;
/// checked at start-up by <see cref="ClusterSettingsReader"/>, which names a bad key).
/// </summary>
public sealed class PartnerRebalancingOptions
{
    public const string SectionName = $"{ClusterSettings.SectionName}:Rebalancing";

    /// <summary>How long after a silo starts it first compares counts: long enough for membership to settle.</summary>
    public int StartDelaySeconds { get; set; } = 5;

    /// <summary>How often each silo compares counts and hands off its surplus.</summary>
    public int PeriodSeconds { get; set; } = 3;

    /// <summary>Silos this far apart (a percentage of a fair share, at least one grain) count as spread.</summary>
    public int TolerancePercent { get; set; } = 10;

    /// <summary>The most grains one silo hands off per round: each move reloads a partner from storage.</summary>
    public int MaxMovesPerRound { get; set; } = 200;
}
