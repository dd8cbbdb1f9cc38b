using JustGold.Api.Admin;
using JustGold.Api.Authentication;
using JustGold.Api.Authentication.Scheme;
using JustGold.Api.ExtAuthz;
using JustGold.Api.Http;
using JustGold.Api.Operations;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using JustGold.Operations;

namespace JustGold.Api.Hosting;

/// <summary>Everything the HTTP front needs: its place in the cluster, verification, admin, health checks and metrics.</summary>
internal static class ApiHosting
{
    public static WebApplicationBuilder AddPartnerAuthApi(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        if (cluster.Mode == ApiMode.Embedded)
        {
            builder.UseOrleans(silo => silo.AddPartnerAuthSilo(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client => client.AddPartnerAuthClient(builder.Configuration));

            // The client keeps retrying until a silo answers; meanwhile the web server must already
            // serve (/healthz, and 503 on the rest), so hosted services start side by side.
            builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        }

        builder.Services.AddPartnerTokenVerification();
        builder.Services.AddPartnerTokenScheme();
        builder.Services.AddExtAuthz();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddAdminApi();
        builder.Services.AddOperations(PartnerAuthMetrics.ExportedMeterNames)
            .AddReadinessCheck<ClusterReadinessCheck>("cluster");
        return builder;
    }
}
