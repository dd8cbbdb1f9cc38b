using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JustGold.Api.Http;
using JustGold.Grains.Contracts;
using JustGold.Api.Keys;

namespace JustGold.Api.Admin;

/// <summary>The operator API under <c>/admin</c>: partners, their keys, the key audit trail.</summary>
public static partial class AdminApi
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxNameLength = 200;

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

        admin.MapGet("/partners", ListPartnersAsync);

        // Every call naming a partner checks the id's shape once, here, before any grain is touched.
        var partner = admin.MapGroup("/partners/{partnerId}").AddEndpointFilter(RequireValidPartnerId);
        partner.MapPut("", UpsertPartnerAsync);
        partner.MapGet("", GetPartnerAsync);
        partner.MapGet("/keys", GetKeysAsync);
        partner.MapPost("/keys", AddKeyAsync);
        partner.MapDelete("/keys/{kid}", RevokeKeyAsync);
        partner.MapGet("/audit", GetAuditTrailAsync);
        return routes;
    }

    private static async Task<IResult> ListPartnersAsync(IGrainFactory grains)
    {
        var partners = await grains.GetGrain<IPartnerDirectoryGrain>(0).ListAsync();
        return TypedResults.Ok(new JsonObject { ["partners"] = new JsonArray([.. partners.Select(p => (JsonNode)AdminModels.Summary(p))]) });
    }

    private static async Task<IResult> UpsertPartnerAsync(string partnerId, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var body = await ReadBodyAsync(request);
        if (body is null)
        {
            return BadRequest("invalid_request", "The body is larger than 64 KiB.", time);
        }

        var (update, problem) = ParsePartnerUpdate(body);
        if (update is null)
        {
            return BadRequest("invalid_request", problem!, time);
        }

        var result = await grains.GetGrain<IPartnerGrain>(partnerId).UpsertAsync(update);
        var json = AdminModels.Partner(result.Partner);
        return result.Created
            ? TypedResults.Created($"/admin/partners/{partnerId}", json)
            : TypedResults.Ok(json);
    }

    private static async Task<IResult> GetPartnerAsync(string partnerId, IGrainFactory grains, TimeProvider time)
    {
        var partner = await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync();
        return partner is null ? PartnerNotFound(partnerId, time) : TypedResults.Ok(AdminModels.Partner(partner));
    }

    private static async Task<IResult> GetKeysAsync(string partnerId, IGrainFactory grains, TimeProvider time)
    {
        var partner = await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync();
        return partner is null
            ? PartnerNotFound(partnerId, time)
            : TypedResults.Ok(new JsonObject { ["keys"] = new JsonArray([.. partner.Keys.Select(k => (JsonNode)AdminModels.Key(k))]) });
    }

    private static async Task<IResult> AddKeyAsync(string partnerId, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var body = await ReadBodyAsync(request);
        if (body is null)
        {
            return BadRequest("invalid_key", "The upload is larger than 64 KiB; a public key in PEM is far smaller.", time);
        }

        var pem = ExtractPem(request, body, out var problem);
        if (pem is null)
        {
            return BadRequest("invalid_key", problem!, time);
        }

        var reading = PublicKeyParser.Read(pem, time.GetUtcNow());
        if (reading.Key is null)
        {
            // The problem text never quotes the upload: it may hold private key material.
            var error = reading.Failure == KeyUploadFailure.PrivateKey ? "private_key_rejected" : "invalid_key";
            return BadRequest(error, reading.Problem!, time);
        }

        var result = await grains.GetGrain<IPartnerGrain>(partnerId).AddKeyAsync(reading.Key, Actor(request));
        return result.Failure switch
        {
            KeyChangeFailure.None when result.Created =>
                TypedResults.Created($"/admin/partners/{partnerId}/keys/{result.Key!.Kid}", AdminModels.Key(result.Key)),
            KeyChangeFailure.None => TypedResults.Ok(AdminModels.Key(result.Key!)),
            KeyChangeFailure.PartnerNotFound => PartnerNotFound(partnerId, time),
            KeyChangeFailure.TooManyKeys => ErrorResults.Create(StatusCodes.Status409Conflict, "too_many_keys",
                "The partner already has the most active keys allowed; revoke one before adding another.", time),
            KeyChangeFailure.KeyRevoked => ErrorResults.Create(StatusCodes.Status409Conflict, "key_revoked",
                "This key was revoked and cannot be used again; make a new key pair.", time),
            _ => throw new InvalidOperationException($"Unexpected key change result {result.Failure}."),
        };
    }

    private static async Task<IResult> RevokeKeyAsync(string partnerId, string kid, HttpRequest request, IGrainFactory grains, TimeProvider time)
    {
        var result = await grains.GetGrain<IPartnerGrain>(partnerId).RevokeKeyAsync(kid, Actor(request));
        return result.Failure switch
        {
            KeyChangeFailure.None => TypedResults.NoContent(),
            KeyChangeFailure.PartnerNotFound => PartnerNotFound(partnerId, time),
            _ => ErrorResults.Create(StatusCodes.Status404NotFound, "not_found", "The partner has no key with this kid.", time),
        };
    }

    private static async Task<IResult> GetAuditTrailAsync(string partnerId, IGrainFactory grains, TimeProvider time)
    {
        if (await grains.GetGrain<IPartnerGrain>(partnerId).GetAsync() is null)
        {
            return PartnerNotFound(partnerId, time);
        }

        var entries = await grains.GetGrain<IPartnerDirectoryGrain>(0).GetAuditTrailAsync(partnerId);
        return TypedResults.Ok(new JsonObject { ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)AdminModels.Audit(e))]) });
    }

    private static (PartnerUpdate? Update, string? Problem) ParsePartnerUpdate(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (new PartnerUpdate(null, null), null);
        }

        const string shape = "The body must be a JSON object like {\"name\":\"…\",\"status\":\"active\"|\"suspended\"}; both fields are optional.";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, shape);
            }

            string? name = null;
            PartnerStatus? status = null;
            if (document.RootElement.TryGetProperty("name", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
            {
                if (nameElement.ValueKind != JsonValueKind.String || nameElement.GetString()!.Length > MaxNameLength)
                {
                    return (null, $"'name' must be a string of at most {MaxNameLength} characters.");
                }

                name = nameElement.GetString();
            }

            if (document.RootElement.TryGetProperty("status", out var statusElement) && statusElement.ValueKind != JsonValueKind.Null)
            {
                status = statusElement.ValueKind == JsonValueKind.String ? statusElement.GetString() switch
                {
                    "active" => PartnerStatus.Active,
                    "suspended" => PartnerStatus.Suspended,
                    _ => null,
                } : null;
                if (status is null)
                {
                    return (null, "'status' must be \"active\" or \"suspended\".");
                }
            }

            return (new PartnerUpdate(name, status), null);
        }
        catch (JsonException)
        {
            return (null, shape);
        }
    }

    /// <summary>The PEM text: the raw body, or the <c>pem</c> field of a JSON body.</summary>
    private static string? ExtractPem(HttpRequest request, string body, out string? problem)
    {
        problem = null;
        var isJson = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            || body.TrimStart().StartsWith('{');
        if (!isJson)
        {
            return body;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("pem", out var pem)
                && pem.ValueKind == JsonValueKind.String)
            {
                return pem.GetString();
            }
        }
        catch (JsonException)
        {
        }

        // Still checked for private material, so such an upload gets the right refusal.
        if (body.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        problem = "Send the PEM text as the body, or JSON {\"pem\":\"-----BEGIN PUBLIC KEY-----…\"}.";
        return null;
    }

    /// <summary>Reads the body as UTF-8 text, or null when it is too large.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Who made a key change, for the audit trail: the optional X-Admin-Actor header, else "admin".</summary>
    private static string Actor(HttpRequest request)
    {
        var actor = request.Headers["X-Admin-Actor"].ToString();
        return actor.Length is > 0 and <= 64 && ActorPattern().IsMatch(actor) ? actor : "admin";
    }

    private static IResult BadRequest(string error, string message, TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status400BadRequest, error, message, time);

    private static ValueTask<object?> RequireValidPartnerId(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (PartnerIds.IsValid(http.Request.RouteValues["partnerId"] as string))
        {
            return next(context);
        }

        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        return ValueTask.FromResult<object?>(
            BadRequest("invalid_request", "Partner ids are 1–64 characters of A-Z a-z 0-9 . _ -", time));
    }

    private static IResult PartnerNotFound(string partnerId, TimeProvider time) =>
        ErrorResults.Create(StatusCodes.Status404NotFound, "not_found", $"No partner '{partnerId}' is registered.", time);

    [GeneratedRegex("^[A-Za-z0-9._@ -]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActorPattern();
}
