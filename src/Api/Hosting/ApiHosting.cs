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
        // Checked before anything is built: a bad Cluster value stops start-up naming its key.
        var cluster = ClusterSettingsReader.Read(builder.Configuration);
        if (cluster.Mode == ApiMode.Embedded)
        {
            builder.UseOrleans(silo => silo.AddPartnerAuthSilo(builder.Configuration, cluster));
        }
        else
        {
            builder.UseOrleansClient(client => client.AddPartnerAuthClient(builder.Configuration, cluster));

            // Calls waiting on a gateway connection that dropped are cut short (ConfirmationSender).
            builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<GatewayLossSignal>());

            // The client keeps retrying until a silo answers; meanwhile the web server must already
            // serve (/healthz, and 503 on the rest), so hosted services start side by side.
            builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        }

        builder.Services.AddPartnerTokenVerification();
        builder.Services.AddPartnerTokenScheme();
        builder.Services.AddExtAuthz();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddAdminApi();
        builder.Services.AddOperations(PartnerAuthMetrics.ExportedMeterNames, PartnerAuthMetrics.UnexportedPerMessageInstruments)
            .AddReadinessCheck<ClusterReadinessCheck>("cluster");
        return builder;
    }
}
