using System.Text.Json;
using JustGold.Api.Keys;

namespace JustGold.Api.Admin;

/// <summary>
/// An upload as the operator API receives it: PEM text as the body, or JSON <c>{"pem":"…"}</c>.
/// The whole upload is checked for private key material first, whatever its form.
/// </summary>
internal static class KeyUploadReader
{
    private const string ExpectedShape = "Send the PEM text as the body, or JSON {\"pem\":\"-----BEGIN PUBLIC KEY-----…\"}.";

    public static KeyUploadResult Read(string? contentType, string body, DateTimeOffset now)
    {
        if (PrivateKeyMaterial.IsPresentIn(body))
        {
            return KeyUploadResult.Fail(KeyUploadFailure.PrivateKey, PrivateKeyMaterial.RejectedMessage);
        }

        var isJson = contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || body.TrimStart().StartsWith('{');
        var pem = isJson ? PemFromJson(body) : body;
        return pem is null
            ? KeyUploadResult.Fail(KeyUploadFailure.NotPem, ExpectedShape)
            : PublicKeyParser.Read(pem, now);
    }

    /// <summary>The string member <c>pem</c> of a JSON object, or null.</summary>
    private static string? PemFromJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("pem", out var pem)
                && pem.ValueKind == JsonValueKind.String
                    ? pem.GetString()
                    : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a pem that is no text (an escaped lone surrogate cannot become a string).
            return null;
        }
    }
}
