using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JustGold.Api.Authentication;

/// <summary>Token verification on this API node: the key cache, the confirmation batcher and the authenticator.</summary>
internal static class AuthenticationServices
{
    public static IServiceCollection AddPartnerTokenVerification(this IServiceCollection services)
    {
        services.TryAddSingleton<PartnerKeyCache>();
        services.TryAddSingleton<GatewayLossSignal>();
        services.TryAddSingleton<ConfirmationSender>();
        services.TryAddSingleton<ConfirmationBatcher>();
        services.TryAddSingleton<PartnerTokenAuthenticator>();
        return services;
    }
}
