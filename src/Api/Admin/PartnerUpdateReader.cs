using System.Text.Json;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin;

/// <summary>Reads <c>{"name":"…","status":"active"|"suspended"}</c>; both fields optional, an empty body changes nothing.</summary>
internal static class PartnerUpdateReader
{
    public const int MaxNameLength = 200;

    private const string Shape = "The body must be a JSON object like {\"name\":\"…\",\"status\":\"active\"|\"suspended\"}; both fields are optional.";

    public static PartnerUpdateReading Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return PartnerUpdateReading.Success(new PartnerUpdate(null, null));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PartnerUpdateReading.Fail(Shape);
            }

            string? name = null;
            if (root.TryGetProperty("name", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
            {
                name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
                if (name is null || !IsAcceptableName(name))
                {
                    return PartnerUpdateReading.Fail($"'name' must be a string of at most {MaxNameLength} characters.");
                }
            }

            PartnerStatus? status = null;
            if (root.TryGetProperty("status", out var statusElement) && statusElement.ValueKind != JsonValueKind.Null)
            {
                status = ReadStatus(statusElement);
                if (status is null)
                {
                    return PartnerUpdateReading.Fail("'status' must be \"active\" or \"suspended\".");
                }
            }

            return PartnerUpdateReading.Success(new PartnerUpdate(name, status));
        }
        catch (JsonException)
        {
            return PartnerUpdateReading.Fail(Shape);
        }
    }

    private static bool IsAcceptableName(string name) => name.Length <= MaxNameLength;

    private static PartnerStatus? ReadStatus(JsonElement element) => element.ValueKind != JsonValueKind.String
        ? null
        : element.GetString() switch
        {
            "active" => PartnerStatus.Active,
            "suspended" => PartnerStatus.Suspended,
            _ => null,
        };
}
