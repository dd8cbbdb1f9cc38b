namespace JustGold.PartnerAuth.AspNetCore;

/// <summary>Default names used by <see cref="JustGoldPartnerExtensions.AddJustGoldPartner(Microsoft.AspNetCore.Authentication.AuthenticationBuilder, Action{JustGoldPartnerOptions})"/>.</summary>
public static class JustGoldPartnerDefaults
{
    public const string AuthenticationScheme = "JustGoldPartner";

    /// <summary>The named <see cref="HttpClient"/> (from IHttpClientFactory) that calls the cluster.</summary>
    public const string HttpClientName = "JustGold.PartnerAuth";
}
