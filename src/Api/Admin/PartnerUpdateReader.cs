using System.Buffers;
using System.Text;
using System.Text.Json;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin;

/// <summary>Reads <c>{"name":"…","status":"active"|"suspended"}</c>; both fields optional, an empty body changes nothing.</summary>
internal static class PartnerUpdateReader
{
    public const int MaxNameLength = 200;

    private const string Shape = "The body must be a JSON object like {\"name\":\"…\",\"status\":\"active\"|\"suspended\"}; both fields are optional.";

    public static Reading<PartnerUpdate> Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return Reading<PartnerUpdate>.Success(new PartnerUpdate(null, null));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Reading<PartnerUpdate>.Fail(Shape);
            }

            string? name = null;
            if (root.TryGetProperty("name", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
            {
                name = nameElement.ValueKind == JsonValueKind.String ? TextOf(nameElement) : null;
                if (name is null || !IsAcceptableName(name))
                {
                    return Reading<PartnerUpdate>.Fail($"'name' must be a string of at most {MaxNameLength} characters, without control characters.");
                }
            }

            PartnerStatus? status = null;
            if (root.TryGetProperty("status", out var statusElement) && statusElement.ValueKind != JsonValueKind.Null)
            {
                status = ReadStatus(statusElement);
                if (status is null)
                {
                    return Reading<PartnerUpdate>.Fail("'status' must be \"active\" or \"suspended\".");
                }
            }

            return Reading<PartnerUpdate>.Success(new PartnerUpdate(name, status));
        }
        catch (JsonException)
        {
            return Reading<PartnerUpdate>.Fail(Shape);
        }
    }

    /// <summary>
    /// At most <see cref="MaxNameLength"/> characters, counted as Unicode scalar values (as PostgreSQL's
    /// char_length counts them, and as the contract counts a jti), none of them a control character, and
    /// well-formed UTF-16: a lone surrogate has no UTF-8 form, so no store could keep it.
    /// </summary>
    private static bool IsAcceptableName(string name)
    {
        var rest = name.AsSpan();
        for (var count = 0; !rest.IsEmpty; count++)
        {
            if (count == MaxNameLength || Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done || Rune.IsControl(rune))
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
    }

    private static PartnerStatus? ReadStatus(JsonElement element) => element.ValueKind != JsonValueKind.String
        ? null
        : TextOf(element) switch
        {
            "active" => PartnerStatus.Active,
            "suspended" => PartnerStatus.Suspended,
            _ => null,
        };

    /// <summary>The string, or null when it is no text: an escaped lone surrogate cannot become a .NET string.</summary>
    private static string? TextOf(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
