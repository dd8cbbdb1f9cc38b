using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JustGold.Tests.Infrastructure;

/// <summary>What the protected API received: method, path, headers (names lower-cased) and body length.</summary>
public sealed record EchoedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, long BodyLength);

/// <summary>
/// Stands in for the JustGold API behind a gateway: a real HTTP server on 127.0.0.1 that
/// remembers every request it got and answers 200 with what it saw.
/// </summary>
public sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<EchoedRequest> _requests = new();

    private EchoUpstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyCollection<EchoedRequest> Requests => _requests;

    public IEnumerable<EchoedRequest> RequestsTo(string path) => _requests.Where(r => r.Path == path);

    public static async Task<EchoUpstream> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var echo = new EchoUpstream(app, port);
        app.Run(echo.HandleAsync);
        await app.StartAsync();
        return echo;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new EchoedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.Length);
        _requests.Enqueue(request);
        await context.Response.WriteAsJsonAsync(request);
    }
}
