using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace JustGold.PartnerAuth.AspNetCore;

/// <summary>Adds the JustGold partner scheme to a service's authentication.</summary>
public static class JustGoldPartnerExtensions
{
    internal const string InvalidOptionsMessage =
        "JustGold partner authentication: AuthorityUrl must be the absolute http(s) URL of the partner authentication cluster, and Timeout positive.";

    public static AuthenticationBuilder AddJustGoldPartner(this AuthenticationBuilder builder, Action<JustGoldPartnerOptions> configure) =>
        builder.AddJustGoldPartner(JustGoldPartnerDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Every request with an <c>Authorization</c> header costs one call to the cluster's
    /// <c>/v1/authorize</c>, over pooled connections. Never put this behind a gateway that already
    /// checked the same token: tokens are single-use, so the second check says <c>replayed_token</c>.
    /// </summary>
    public static AuthenticationBuilder AddJustGoldPartner(this AuthenticationBuilder builder, string scheme, Action<JustGoldPartnerOptions> configure)
    {
        // Pooled connections from IHttpClientFactory; deliberately no retry handler: a retried call
        // would show the same single-use token twice.
        builder.Services.AddHttpClient(JustGoldPartnerDefaults.HttpClientName, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan);
        builder.Services.AddOptions<JustGoldPartnerOptions>(scheme)
            .Validate(o => o.IsValid, InvalidOptionsMessage)
            .ValidateOnStart();
        return builder.AddScheme<JustGoldPartnerOptions, JustGoldPartnerHandler>(scheme, configure);
    }
}
