namespace JustGold.PartnerClient;

/// <summary>What goes into each token a partner signs for JustGold.</summary>
public sealed class PartnerTokenOptions
{
    /// <summary>Your partner id: the <c>iss</c> claim.</summary>
    public required string PartnerId { get; init; }

    /// <summary>The <c>aud</c> claim; JustGold's default audience is <c>justgold-api</c>.</summary>
    public string Audience { get; init; } = "justgold-api";

    /// <summary>Optional <c>sub</c> claim, echoed back by <c>/v1/ping</c>.</summary>
    public string? Subject { get; init; }

    /// <summary>How long each token lives; keep it short (JustGold accepts at most one hour by default).</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(60);
}
