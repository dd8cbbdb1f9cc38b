using Microsoft.AspNetCore.Authentication;

namespace JustGold.Api.Authentication.Scheme;

/// <summary>Registers the partner-token scheme and the policy endpoints use to require it.</summary>
internal static class PartnerTokenSchemeExtensions
{
    public static IServiceCollection AddPartnerTokenScheme(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PartnerTokenHandler>(PartnerTokenDefaults.AuthenticationScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PartnerTokenDefaults.PolicyName, p => p.AddAuthenticationSchemes(PartnerTokenDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The endpoint answers only for a verified partner token; otherwise the scheme's 401 or 503.</summary>
    public static TBuilder RequirePartnerToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PartnerTokenDefaults.PolicyName).WithMetadata(PartnerTokenEndpoint.Instance);
}

/// <summary>
/// Marks the endpoints that take a partner token. A single registered scheme becomes the
/// default one, which the authentication middleware runs on every request; the handler
/// verifies only on marked endpoints, so a bearer token sent to /admin or /metrics is never
/// verified (nor its jti used up).
/// </summary>
internal sealed class PartnerTokenEndpoint
{
    public static PartnerTokenEndpoint Instance { get; } = new();

    private PartnerTokenEndpoint()
    {
    }
}
