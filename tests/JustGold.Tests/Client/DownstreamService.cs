using System.Net;
using JustGold.PartnerAuth.AspNetCore;
using JustGold.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JustGold.Tests.Client;

/// <summary>
/// A JustGold service as its developers would write it with the handler library, on a real
/// port: <c>/whoami</c> needs a partner, <c>/open</c> does not.
/// </summary>
public sealed class DownstreamService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DownstreamService(WebApplication app, int port)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public static async Task<DownstreamService> StartAsync(Action<JustGoldPartnerOptions> configure)
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddJustGoldPartner(configure);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.MapGet("/whoami", [Authorize(AuthenticationSchemes = JustGoldPartnerDefaults.AuthenticationScheme)] (HttpContext context) =>
        {
            var user = context.User;
            return Results.Json(new Dictionary<string, string?>
            {
                ["name"] = user.Identity?.Name,
                ["partner"] = user.FindFirst(JustGoldPartnerClaimTypes.PartnerId)?.Value,
                ["subject"] = user.FindFirst(JustGoldPartnerClaimTypes.Subject)?.Value,
                ["kid"] = user.FindFirst(JustGoldPartnerClaimTypes.Kid)?.Value,
                ["jti"] = user.FindFirst(JustGoldPartnerClaimTypes.Jti)?.Value,
            });
        });
        app.MapGet("/open", () => "open");
        await app.StartAsync();
        return new DownstreamService(app, port);
    }

    public Task<HttpResponseMessage> WhoAmIAsync(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/whoami?x=1");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
