using System.Buffers;
using System.Text.Encodings.Web;

namespace JustGold.Api.Authentication;

/// <summary>
/// A value taken from a token (<c>iss</c>, <c>kid</c>, <c>jti</c>), fit for one log line: control characters,
/// line separators, surrogates and the backslash come out as JSON escapes (<c>\u0000</c>, <c>\n</c>), so a
/// caller can neither break a line nor forge one, and an escape in the log always means an escape.
/// </summary>
internal static class TokenLogValue
{
    private static readonly SearchValues<char> NeedsEscaping = SearchValues.Create(
        [.. Range('\u0000', '\u001F'), .. Range('\u007F', '\u009F'), '\\', '\u2028', '\u2029', .. Range('\uD800', '\uDFFF')]);

    public static string? Escape(string? value) =>
        value is null || !value.AsSpan().ContainsAny(NeedsEscaping) ? value : JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value);

    private static IEnumerable<char> Range(char first, char last) =>
        Enumerable.Range(first, last - first + 1).Select(c => (char)c);
}
