namespace JustGold.Grains.Hosting;

/// <summary>How an API node reaches grains (<c>Cluster:Mode</c>).</summary>
public enum ApiMode
{
    Embedded,
    Client,
}
