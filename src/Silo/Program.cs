using System.Globalization;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using JustGold.Grains.Storage;
using JustGold.Silo.Dashboard;
using OpenTelemetry.Metrics;

// A silo of the partner-auth cluster: serves any partner's grain; API nodes reach it as clients.
// It also answers a little HTTP for the people who run it: /healthz, /readyz and /metrics.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // --urls / ASPNETCORE_URLS win; otherwise loopback on Silo:HttpPort.
    var port = builder.Configuration.GetValue("Silo:HttpPort", 8081);
    builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
}

var dashboardKey = SiloDashboard.ReadKey(builder.Configuration);
builder.UseOrleans(silo => silo.AddPartnerAuthSilo(builder.Configuration).AddSiloDashboard(dashboardKey));
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(PartnerAuthMetrics.MeterName, "Microsoft.Orleans")
    .AddPrometheusExporter());

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
app.MapGet("/readyz", async (IPartnerStore store, IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
{
    // Ready once the silo has joined (the host started) and its storage answers.
    if (!lifetime.ApplicationStarted.IsCancellationRequested)
    {
        return Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    try
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        await store.CheckAsync(timeout.Token);
        return Results.Ok(new { status = "ready" });
    }
    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
    {
        return Results.Json(new { status = "storage_unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
});
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapSiloDashboard(dashboardKey);
app.Run();
