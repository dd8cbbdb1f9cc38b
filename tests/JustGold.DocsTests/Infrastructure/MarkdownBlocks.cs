using System.Text.RegularExpressions;

namespace JustGold.DocsTests.Infrastructure;

/// <summary>A fenced code block of a Markdown page, with the <c>&lt;!-- test: … --&gt;</c> marker above it, if any.</summary>
public sealed record CodeBlock(string? Marker, string Language, string Content, int Line)
{
    public string Kind => Marker?.Split(' ', 2)[0] ?? "";

    public string Argument => Marker is not null && Marker.Contains(' ', StringComparison.Ordinal) ? Marker.Split(' ', 2)[1] : "";
}

/// <summary>Reads the fenced blocks and test markers of a Markdown page.</summary>
public static partial class MarkdownBlocks
{
    public static IReadOnlyList<CodeBlock> Read(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<CodeBlock>();
        string? marker = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var match = MarkerPattern().Match(line);
            if (match.Success)
            {
                marker = match.Groups[1].Value.Trim();
                continue;
            }

            var fence = FencePattern().Match(line);
            if (fence.Success)
            {
                var indent = fence.Groups[1].Value;
                var start = i;
                var content = new List<string>();
                for (i++; i < lines.Length && lines[i] != indent + "```"; i++)
                {
                    content.Add(lines[i].StartsWith(indent, StringComparison.Ordinal) ? lines[i][indent.Length..] : lines[i]);
                }

                blocks.Add(new CodeBlock(marker, fence.Groups[2].Value, string.Join('\n', content) + "\n", start + 1));
                marker = null;
                continue;
            }

            if (line.Trim().Length > 0)
            {
                marker = null; // a marker applies only to the block right below it
            }
        }

        return blocks;
    }

    /// <summary>The one block with this marker.</summary>
    public static CodeBlock Single(IReadOnlyList<CodeBlock> blocks, string marker)
    {
        var found = blocks.Where(b => b.Marker == marker).ToList();
        Assert.True(found.Count == 1, $"Expected one code block marked '<!-- test: {marker} -->' in the guide, found {found.Count}.");
        return found[0];
    }

    /// <summary>The line after a test marker that is not a fence, e.g. a Markdown table.</summary>
    public static IReadOnlyList<string> LinesAfterMarker(string markdown, string marker)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = Array.FindIndex(lines, l => l.Trim() == $"<!-- test: {marker} -->");
        Assert.True(index >= 0, $"No '<!-- test: {marker} -->' marker found.");
        return [.. lines.Skip(index + 1).TakeWhile(l => l.Trim().Length > 0)];
    }

    /// <summary>The cells of a Markdown table row, trimmed.</summary>
    public static string[] Cells(string row) =>
        [.. row.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    [GeneratedRegex(@"^\s*<!-- test: (.+) -->\s*$")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^(\s*)```(\S*)\s*$")]
    private static partial Regex FencePattern();
}
