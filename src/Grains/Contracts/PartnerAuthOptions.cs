using System.ComponentModel.DataAnnotations;

namespace JustGold.Grains.Contracts;

/// <summary>The token rules an operator may tune (configuration section <c>PartnerAuth</c>).</summary>
public sealed class PartnerAuthOptions
{
    public const string SectionName = "PartnerAuth";

    /// <summary>The audience every token must name in <c>aud</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Audience { get; set; } = "justgold-api";

    /// <summary>Tolerance for clocks that disagree, applied to exp, iat and nbf.</summary>
    [Range(0, 600)]
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>The longest a token may live: exp − iat.</summary>
    [Range(1, 86_400)]
    public int MaxTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>How many active keys one partner may hold at once.</summary>
    [Range(1, 100)]
    public int MaxActiveKeysPerPartner { get; set; } = 5;
}
