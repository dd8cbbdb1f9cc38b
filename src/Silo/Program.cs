using System.Globalization;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using JustGold.Operations;
using JustGold.Silo.Dashboard;
using JustGold.Silo.Operations;

// A silo of the partner-auth cluster: serves any partner's grain; API nodes reach it as clients.
// It also answers a little HTTP for the people who run it: /healthz, /readyz and /metrics.
var builder = WebApplication.CreateBuilder(HostArguments.WithoutConfigReload(args));
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // --urls / ASPNETCORE_URLS win; otherwise loopback on Silo:HttpPort.
    var port = builder.Configuration.GetValue("Silo:HttpPort", 8081);
    builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
}

var dashboardKey = SiloDashboard.ReadKey(builder.Configuration);
builder.UseOrleans(silo => silo.AddPartnerAuthSilo(builder.Configuration).AddSiloDashboard(dashboardKey));
builder.Services.AddOperations(PartnerAuthMetrics.ExportedMeterNames, PartnerAuthMetrics.UnexportedPerMessageInstruments)
    .AddReadinessCheck<SiloStartedCheck>("cluster")
    .AddReadinessCheck<StorageReadinessCheck>("storage");

var app = builder.Build();
app.MapOperationsEndpoints();
app.MapSiloDashboard(dashboardKey);
app.Run();
