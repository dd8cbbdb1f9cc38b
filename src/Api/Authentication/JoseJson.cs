using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace JustGold.Api.Authentication;

/// <summary>
/// What the header and payload readers share: the rule that every
/// string in the token must be readable text. IdentityModel's reader, which these replace, turned every
/// value into a .NET string and so refused invalid UTF-8 and lone-surrogate escapes anywhere; these
/// readers only materialize the claims they use, so they check the rest without keeping it.
/// </summary>
internal static class JoseJson
{
    /// <summary>Valid UTF-8 throughout: the reader itself only checks what it is asked to decode.</summary>
    public static bool IsText(ReadOnlySpan<byte> json) => Utf8.IsValid(json);

    /// <summary>
    /// True when the string or property name the reader is on decodes to .NET text. Raw bytes were checked by
    /// <see cref="IsText"/>; only escapes remain, and System.Text.Json refuses a lone surrogate escape.
    /// </summary>
    public static bool IsReadable(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return true;
        }

        var chars = ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            reader.CopyString(chars);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Moves past the value the reader is on, checking every string in it; false when one is not text.</summary>
    public static bool SkipReadable(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return reader.TokenType != JsonTokenType.String || IsReadable(ref reader);
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsReadable(ref reader))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A string claim, null when it is JSON null; false when it is of another type or not text.</summary>
    public static bool TryReadOptionalString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null
            || (reader.TokenType == JsonTokenType.String && (value = reader.GetString()) is not null);
    }
}
