using Microsoft.AspNetCore.Authentication;

namespace JustGold.PartnerAuth.AspNetCore;

/// <summary>Options of the JustGold partner scheme.</summary>
public sealed class JustGoldPartnerOptions : AuthenticationSchemeOptions
{
    /// <summary>Base URL of the partner authentication cluster (an API node or its load balancer), e.g. <c>http://partner-auth:8080</c>.</summary>
    public string? AuthorityUrl { get; set; }

    /// <summary>
    /// How long to wait for the cluster's answer; then the request fails closed with 503. Keep it
    /// above the cluster's own limit (<c>Cluster:ResponseTimeoutSeconds</c>, 10 s by default) so an
    /// answer given after the jti was recorded is never thrown away.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The cluster's <c>/v1/authorize</c> URL.</summary>
    internal Uri AuthorizeUri => new(new Uri(AuthorityUrl!.TrimEnd('/') + "/"), "v1/authorize");

    internal bool IsValid =>
        Uri.TryCreate(AuthorityUrl, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && Timeout > TimeSpan.Zero;

    public override void Validate()
    {
        base.Validate();
        if (!IsValid)
        {
            throw new InvalidOperationException(JustGoldPartnerExtensions.InvalidOptionsMessage);
        }
    }
}
