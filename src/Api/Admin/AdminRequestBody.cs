using System.Text;
using System.Text.RegularExpressions;

namespace JustGold.Api.Admin;

/// <summary>Reading an operator request: its body (one size limit for every call) and who sent it.</summary>
internal static partial class AdminRequestBody
{
    /// <summary>A 4096-bit RSA public key in PEM is under 1 KiB; 16 KiB leaves room for JSON around it.</summary>
    public const int MaxBytes = 16 * 1024;

    public const string TooLargeMessage = "The body is larger than 16 KiB; a public key in PEM is far smaller.";

    /// <summary>The body as UTF-8 text, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<string?> ReadTextAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Who made a key change, for the audit trail: the optional X-Admin-Actor header, else "admin".</summary>
    public static string Actor(HttpRequest request)
    {
        var actor = request.Headers["X-Admin-Actor"].ToString();
        return actor.Length is > 0 and <= 64 && ActorPattern().IsMatch(actor) ? actor : "admin";
    }

    [GeneratedRegex("^[A-Za-z0-9._@ -]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActorPattern();
}
