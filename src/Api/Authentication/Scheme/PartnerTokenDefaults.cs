namespace JustGold.Api.Authentication.Scheme;

/// <summary>Names of the partner-token authentication scheme and the policy that requires it.</summary>
internal static class PartnerTokenDefaults
{
    public const string AuthenticationScheme = "PartnerToken";

    public const string PolicyName = "PartnerToken";

    /// <summary>The realm of every challenge (the contract's fixed value).</summary>
    public const string Realm = "justgold-api";
}
