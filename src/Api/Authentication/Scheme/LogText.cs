using System.Text;

namespace JustGold.Api.Authentication.Scheme;

/// <summary>Client-supplied text made safe for one log line: control characters escaped, length bounded.</summary>
internal static class LogText
{
    private const int MaxLength = 512;

    public static string? Escape(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Length > MaxLength ? value[..MaxLength] + "…" : value;
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return builder.ToString();
    }
}
