using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace JustGold.Silo.Dashboard;

/// <summary>
/// The Orleans dashboard (silos, grain counts, calls per method) on the silo's HTTP port under
/// <c>/dashboard</c>. Off unless <c>Silo:Dashboard</c> is true, and then only behind the operator
/// key (<c>Admin:ApiKey</c>, the same as on API nodes): it shows partner ids and call rates, and
/// it costs each silo some CPU to collect.
/// </summary>
internal static class SiloDashboard
{
    public const string EnabledKey = "Silo:Dashboard";
    public const string AdminKey = "Admin:ApiKey";
    public const string Path = "/dashboard";

    /// <summary>The operator key when the dashboard is on, null when it is off; on without a key stops start-up.</summary>
    public static string? ReadKey(IConfiguration configuration)
    {
        if (!configuration.GetValue(EnabledKey, false))
        {
            return null;
        }

        var key = configuration[AdminKey];
        return string.IsNullOrEmpty(key)
            ? throw new OptionsValidationException(EnabledKey, typeof(bool), [$"{EnabledKey} is true but {AdminKey} is empty: the dashboard is only served behind the operator key."])
            : key;
    }

    public static ISiloBuilder AddSiloDashboard(this ISiloBuilder silo, string? key) =>
        key is null ? silo : silo.AddDashboard();

    /// <summary>Maps the dashboard behind the key: <c>X-Admin-Key</c>, or a browser's Basic sign-in with the key as password.</summary>
    public static void MapSiloDashboard(this WebApplication app, string? key)
    {
        if (key is null)
        {
            return;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            if (Presented(context.Request) is { Length: > 0 } presented
                && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"orleans-dashboard\"";
        }));
        app.MapOrleansDashboard(Path);
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers["X-Admin-Key"].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : credentials[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
