using System.Text.Json;

namespace JustGold.LoadTest;

/// <summary>What the load tool counts from an answer's body.</summary>
internal static class PingAnswers
{
    // A 200 must be {"status":"ok","partner":<iss>,...}; anything else is counted as an error.
    public static string? CheckPing(byte[] body, string partner)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("status", out var status) && status.ValueEquals("ok")
                && root.TryGetProperty("partner", out var p) && p.ValueEquals(partner)
                ? null
                : "(200 with unexpected body)";
        }
        catch (JsonException)
        {
            return "(200 with non-JSON body)";
        }
    }

    public static string ErrorCode(byte[] body)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String
                ? error.GetString()!
                : "(no error field)";
        }
        catch (JsonException)
        {
            return "(non-JSON body)";
        }
    }
}
