using JustGold.Api.Http;

namespace JustGold.Api.Admin;

/// <summary>The operator API under <c>/admin</c>: partners, their keys, the key audit trail.</summary>
internal static class AdminApi
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        services.AddHostedService<AdminStartupNotice>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin")
            .AddEndpointFilter<AdminKeyFilter>()
            .AddEndpointFilter<ClusterFailureFilter>();
        admin.MapGet("/partners", PartnerEndpoints.ListAsync);

        var partner = admin.MapGroup("/partners/{partnerId}").AddEndpointFilter<PartnerIdFilter>();
        partner.MapPut("", PartnerEndpoints.UpsertAsync);
        partner.MapGet("", PartnerEndpoints.GetAsync);
        partner.MapGet("/audit", PartnerEndpoints.GetAuditTrailAsync);
        partner.MapGet("/keys", KeyEndpoints.GetAllAsync);
        partner.MapPost("/keys", KeyEndpoints.UploadAsync);
        partner.MapDelete("/keys/{kid}", KeyEndpoints.RevokeAsync);
        return routes;
    }
}
