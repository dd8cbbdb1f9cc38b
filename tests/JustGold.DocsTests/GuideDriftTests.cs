using JustGold.Grains.Contracts;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JustGold.DocsTests.Infrastructure;
using JustGold.Api.Authentication;

namespace JustGold.DocsTests;

/// <summary>
/// The partner guide cannot drift from the code: its code blocks are the example files, its
/// token decodes to what it shows, its error table is the code's, and every block is accounted for.
/// </summary>
public sealed partial class GuideDriftTests
{
    /// <summary>What a guide code block may be; each kind is checked by a test here or in <see cref="ExamplesEndToEndTests"/>.</summary>
    private static readonly HashSet<string> KnownKinds =
        ["include", "run", "env", "server", "token", "token-header", "token-payload", "response", "challenge", "diagram"];

    private static readonly string Guide = File.ReadAllText(Repo.Guide);
    private static readonly IReadOnlyList<CodeBlock> Blocks = MarkdownBlocks.Read(Guide);

    [Fact]
    public void Every_code_block_in_the_guide_is_checked()
    {
        Assert.NotEmpty(Blocks);
        var unmarked = Blocks.Where(b => !KnownKinds.Contains(b.Kind)).Select(b => $"line {b.Line}: ```{b.Language}").ToList();
        Assert.True(unmarked.Count == 0,
            "Every code block in docs/oauth2-jwt.md needs a <!-- test: … --> marker that a test checks; unmarked: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void Every_code_listing_in_the_guide_is_the_example_file()
    {
        var includes = Blocks.Where(b => b.Kind == "include").ToList();
        Assert.NotEmpty(includes);
        foreach (var block in includes)
        {
            var path = Path.Combine(Repo.Root, block.Argument);
            Assert.True(File.Exists(path), $"Guide line {block.Line} shows {block.Argument}, which does not exist.");
            var file = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.True(file == block.Content,
                $"Guide line {block.Line}: the code block differs from {block.Argument}; copy the file into the guide again.\n{FirstDifference(file, block.Content)}");
        }
    }

    [Fact]
    public void Every_example_source_file_is_shown_in_the_guide()
    {
        var shown = Blocks.Where(b => b.Kind == "include").Select(b => b.Argument).ToHashSet();
        var sources = Directory.EnumerateFiles(Repo.Examples, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".py", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(shown.Contains(s), $"{s} is example code the guide does not show."));
    }

    [Fact]
    public void Guide_has_every_command_the_end_to_end_test_runs()
    {
        string[] expected = ["keygen-rsa-2048", "keygen-rsa-4096", "keygen-ec-p256", "register", "upload", "npm-ci",
            "ping-node", "ping-python", "ping-dotnet", "ping-without-token"];
        var runs = Blocks.Where(b => b.Kind == "run").Select(b => b.Argument).ToList();
        Assert.Equal(expected.Order(), runs.Order());
        Assert.All(Blocks.Where(b => b.Kind == "run"), b => Assert.Equal("bash", b.Language));
    }

    [Fact]
    public void Guide_sandbox_command_is_the_operations_page_command_and_matches_the_variables()
    {
        var command = MarkdownBlocks.Single(Blocks, "server").Content;
        var operations = MarkdownBlocks.Read(Repo.Read("docs/operations.md"));
        Assert.Contains(operations, b => b.Content == command);
        var env = MarkdownBlocks.Single(Blocks, "env").Content;
        var key = SandboxKeyPattern().Match(command);
        var url = SandboxUrlPattern().Match(command);
        Assert.True(key.Success && url.Success, $"The sandbox command sets no Admin__ApiKey or --urls: {command}");
        Assert.Contains($"export JUSTGOLD_ADMIN_KEY={key.Groups[1].Value}\n", env, StringComparison.Ordinal);
        Assert.Contains($"export JUSTGOLD_URL={url.Groups[1].Value}\n", env, StringComparison.Ordinal);
    }

    [Fact]
    public void Guide_example_token_decodes_to_the_header_and_claims_it_shows()
    {
        var compact = string.Concat(MarkdownBlocks.Single(Blocks, "token").Content.Where(c => !char.IsWhiteSpace(c)));
        var parts = compact.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.Matches("^[A-Za-z0-9_-]+$", p));
        var header = JsonNode.Parse(Base64UrlDecode(parts[0]))!;
        var payload = JsonNode.Parse(Base64UrlDecode(parts[1]))!;
        Assert.True(JsonNode.DeepEquals(header, JsonNode.Parse(MarkdownBlocks.Single(Blocks, "token-header").Content)),
            "The decoded header shown in the guide is not the example token's header.");
        Assert.True(JsonNode.DeepEquals(payload, JsonNode.Parse(MarkdownBlocks.Single(Blocks, "token-payload").Content)),
            "The decoded payload shown in the guide is not the example token's payload.");

        // And the example follows the guide's own rules.
        Assert.True(SigningAlgorithms.IsAccepted((string?)header["alg"]));
        foreach (var claim in new[] { "iss", "aud", "iat", "exp", "jti" })
        {
            Assert.True(payload[claim] is not null, $"The example token lacks '{claim}'.");
        }

        Assert.Equal(new PartnerAuthOptions().Audience, (string?)payload["aud"]);
        Assert.InRange((long)payload["exp"]! - (long)payload["iat"]!, 1, new PartnerAuthOptions().MaxTokenLifetimeSeconds);
    }

    [Fact]
    public void Guide_environment_variables_are_the_ones_the_examples_read()
    {
        var exported = ExportPattern().Matches(MarkdownBlocks.Single(Blocks, "env").Content).Select(m => m.Groups[1].Value).ToHashSet();
        var examples = string.Concat(Blocks.Where(b => b.Kind == "include").Select(b => b.Content));
        var commands = string.Concat(Blocks.Where(b => b.Kind == "run").Select(b => b.Content));
        Assert.All(exported, name => Assert.True(examples.Contains(name, StringComparison.Ordinal) || commands.Contains(name, StringComparison.Ordinal),
            $"The guide exports {name}, which neither the examples nor the commands use."));

        var read = VariablePattern().Matches(examples).Select(m => m.Value).ToHashSet();
        Assert.NotEmpty(read);
        Assert.All(read, name => Assert.True(Guide.Contains($"| `{name}` |", StringComparison.Ordinal),
            $"The examples read {name}, which the guide's table of variables does not describe."));
    }

    [Fact]
    public void Guide_error_table_lists_every_code_with_messages_from_the_code()
    {
        var rows = MarkdownBlocks.LinesAfterMarker(Guide, "error-table").Skip(2).Select(MarkdownBlocks.Cells).ToList();
        var documented = rows.Select(r => r[0].Trim('`')).Where(c => c.Length > 0).ToList();
        var codes = Enum.GetValues<TokenFailure>()
            .Where(f => f is not TokenFailure.None and not TokenFailure.ServiceUnavailable)
            .Select(f => f.ToErrorCode())
            .ToList();
        Assert.Equal(codes.Order(), documented.Order());
        Assert.Contains("\"error\":\"service_unavailable\"", Guide, StringComparison.Ordinal);

        var literals = SourceStringLiterals();
        foreach (var message in rows.Select(r => WebUtility.HtmlDecode(r[2])).Where(m => m.Length > 0))
        {
            Assert.True(literals.Any(l => l.IsMatch(message)), $"The guide quotes the message \"{message}\", which no code in src/ produces.");
        }
    }

    /// <summary>Every C# string literal in src/ as a pattern; interpolation holes match anything.</summary>
    public static List<Regex> SourceStringLiterals()
    {
        var patterns = new List<Regex>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match literal in LiteralPattern().Matches(File.ReadAllText(file)))
            {
                var text = literal.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                var interpolated = literal.Groups[1].Value == "$";
                var pattern = new StringBuilder("^");
                foreach (var piece in interpolated ? HolePattern().Split(text) : [text])
                {
                    if (pattern.Length > 1)
                    {
                        pattern.Append(".+?");
                    }

                    pattern.Append(Regex.Escape(piece));
                }

                patterns.Add(new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant));
            }
        }

        return patterns;
    }

    private static string Base64UrlDecode(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"first difference at line {i + 1}:\n  file:  {left}\n  guide: {right}";
            }
        }

        return "";
    }

    [GeneratedRegex(@"Admin__ApiKey=(\S+)")]
    private static partial Regex SandboxKeyPattern();

    [GeneratedRegex(@"--urls (\S+)")]
    private static partial Regex SandboxUrlPattern();

    [GeneratedRegex(@"^export ([A-Z_]+)=", RegexOptions.Multiline)]
    private static partial Regex ExportPattern();

    [GeneratedRegex(@"\bJUSTGOLD_[A-Z_]+\b")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"(\$?)""((?:[^""\\\n]|\\.)*)""")]
    private static partial Regex LiteralPattern();

    [GeneratedRegex(@"\{[^{}]+\}")]
    private static partial Regex HolePattern();
}
