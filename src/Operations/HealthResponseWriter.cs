using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JustGold.Operations;

/// <summary>
/// One body shape for every process: <c>{"status":"alive"}</c>, <c>{"status":"ready","checks":{…}}</c>
/// or, with 503, <c>{"status":"unavailable","checks":{"storage":"unhealthy",…}}</c>. Only each check's
/// status is written: descriptions and exceptions (storage error text) stay out of the body.
/// </summary>
internal static class HealthResponseWriter
{
    public static Task WriteLivenessAsync(HttpContext context, HealthReport report) => WriteAsync(context, report, "alive");

    public static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.RequestServices.GetRequiredService<ReadinessLog>().Observe(report);
        return WriteAsync(context, report, "ready");
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report, string passing)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        // Degraded answers 200 (the middleware's default), so it reads as passing too.
        json.WriteString("status", report.Status == HealthStatus.Unhealthy ? "unavailable" : passing);
        if (report.Entries.Count > 0)
        {
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteString(name, Name(entry.Status));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
