using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JustGold.PartnerAuth.AspNetCore;

/// <summary>
/// A refusal to hand back to the caller: the cluster's own 401 (challenge, <c>X-Auth-Error</c>,
/// JSON body, byte for byte), or a 503 <c>service_unavailable</c> when the cluster could not decide
/// or could not be asked.
/// </summary>
internal sealed class ClusterRefusal
{
    private const string AuthErrorHeader = "X-Auth-Error";

    private ClusterRefusal(int status, string? challenge, string? error, string contentType, byte[] body)
    {
        Status = status;
        Challenge = challenge;
        Error = error;
        ContentType = contentType;
        Body = body;
    }

    public int Status { get; }

    public string? Challenge { get; }

    /// <summary>The contract's error code (<c>replayed_token</c>, …; <c>service_unavailable</c> for a 503).</summary>
    public string? Error { get; }

    public string ContentType { get; }

    public byte[] Body { get; }

    public static async Task<ClusterRefusal> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellation);
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var challenge = response.Headers.WwwAuthenticate.ToString();
            var error = response.Headers.TryGetValues(AuthErrorHeader, out var values) ? values.FirstOrDefault() : null;
            return new ClusterRefusal(StatusCodes.Status401Unauthorized, challenge.Length == 0 ? null : challenge, error, contentType, body);
        }

        // The cluster's own 503 is passed on as it is; any other answer means it could not decide.
        return response.StatusCode == HttpStatusCode.ServiceUnavailable && body.Length > 0
            ? new ClusterRefusal(StatusCodes.Status503ServiceUnavailable, null, "service_unavailable", contentType, body)
            : Unavailable(time);
    }

    /// <summary>Fail closed: the cluster did not answer in time, or not at all.</summary>
    public static ClusterRefusal Unavailable(TimeProvider time)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", "service_unavailable");
            json.WriteString("message", "The partner authentication service could not be reached; try again shortly.");
            json.WriteNumber("timestamp", time.GetUtcNow().ToUnixTimeSeconds());
            json.WriteEndObject();
        }

        return new ClusterRefusal(StatusCodes.Status503ServiceUnavailable, null, "service_unavailable", "application/json; charset=utf-8", buffer.ToArray());
    }

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.Headers.CacheControl = "no-store";
        if (Challenge is not null)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
        }

        if (Error is not null && Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers[AuthErrorHeader] = Error;
        }

        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body);
    }
}
