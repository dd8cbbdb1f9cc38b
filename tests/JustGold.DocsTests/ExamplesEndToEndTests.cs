using System.Text.Json.Nodes;
using JustGold.DocsTests.Infrastructure;

namespace JustGold.DocsTests;

/// <summary>
/// Each example, run as the guide says, against the real API: a fresh token gets 200, and the
/// same token sent twice gets 401 replayed_token with the RFC 6750 challenge.
/// </summary>
[Collection(GuideSandboxCollection.Name)]
public sealed class ExamplesEndToEndTests(GuideSandbox sandbox)
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan DotnetRunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Node_example_gets_200_and_a_replayed_token_is_refused()
    {
        Tools.Require("node", "Node.js 18 or newer (apt-get install -y nodejs)");
        Tools.Require("npm", "npm (apt-get install -y npm)");
        if (!File.Exists(Path.Combine(Repo.Examples, "node", "node_modules", "jsonwebtoken", "package.json")))
        {
            var install = await sandbox.RunBlockAsync("npm-ci", Repo.Root, sandbox.Environment(), NpmTimeout);
            Assert.True(install.ExitCode == 0, $"The guide's `npm ci` for examples/node failed.\n{install}");
        }

        await AssertExampleAsync("ping-node", sandbox.Keys["rsa-2048"]);
    }

    [Fact]
    public async Task Python_example_gets_200_and_a_replayed_token_is_refused()
    {
        await Tools.RequirePyJwtAsync();
        await AssertExampleAsync("ping-python", sandbox.Keys["ec-p256"],
            extra: new() { ["PATH"] = "/usr/bin:" + System.Environment.GetEnvironmentVariable("PATH") });
    }

    [Fact]
    public async Task Dotnet_example_gets_200_and_a_replayed_token_is_refused()
    {
        await AssertExampleAsync("ping-dotnet", sandbox.Keys["rsa-4096"], DotnetRunTimeout,
            new() { ["PATH"] = Path.GetDirectoryName(Tools.Dotnet()) + ":" + System.Environment.GetEnvironmentVariable("PATH") });
    }

    [Fact]
    public async Task Ping_without_a_token_shows_the_bare_challenge()
    {
        var result = await sandbox.RunBlockAsync("ping-without-token", Repo.Root, sandbox.Environment());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.StartsWith("HTTP/1.1 401", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l == "WWW-Authenticate: Bearer realm=\"justgold-api\"");
        var body = JsonNode.Parse(result.Lines[^1])!;
        Assert.Equal("missing_token", (string?)body["error"]);
    }

    [Fact]
    public void Guide_key_upload_answer_has_the_fields_the_api_returns()
    {
        var shown = JsonNode.Parse(MarkdownBlocks.Single(sandbox.Blocks, "response key").Content)!.AsObject();
        var real = sandbox.Keys["rsa-2048"].Upload;
        Assert.Equal(real.Select(p => p.Key).Order(), shown.Select(p => p.Key).Order());
    }

    private async Task AssertExampleAsync(string marker, GuideKey key, TimeSpan? timeout = null, Dictionary<string, string?>? extra = null)
    {
        // Once as a partner would run it first, with the kid in the header.
        var env = With(sandbox.Environment(key, withKid: true), extra);
        var once = await sandbox.RunBlockAsync(marker, Repo.Root, env, timeout);
        Assert.True(once.ExitCode == 0, $"{marker} did not get a 200.\n{once}\n--- API log\n{sandbox.Api.Log}");
        var ok = Response(once.Lines[0], 200);
        Assert.Equal("ok", (string?)ok["status"]);
        Assert.Equal(sandbox.PartnerId, (string?)ok["partner"]);
        Assert.Equal("ping-example", (string?)ok["subject"]);
        AssertSameShape(MarkdownBlocks.Single(sandbox.Blocks, "response 200").Content, ok);

        // Then the same token twice, without a kid: 200, then replayed_token.
        var twice = await sandbox.RunBlockAsync(marker, Repo.Root, With(sandbox.Environment(key, sendTwice: true), extra), timeout);
        Assert.True(twice.ExitCode == 0, $"{marker} with JUSTGOLD_SEND_TWICE=1: the first call did not get a 200.\n{twice}");
        var lines = twice.Lines;
        Assert.True(lines.Length >= 3, twice.ToString());
        Response(lines[0], 200);
        var replayed = Response(lines[1], 401);
        Assert.Equal("replayed_token", (string?)replayed["error"]);

        // The guide's sample error body and challenge are what the server really says.
        var shownError = JsonNode.Parse(MarkdownBlocks.Single(sandbox.Blocks, "response 401 replayed_token").Content)!;
        Assert.Equal((string?)shownError["error"], (string?)replayed["error"]);
        Assert.Equal((string?)shownError["message"], (string?)replayed["message"]);
        var shownChallenge = MarkdownBlocks.Single(sandbox.Blocks, "challenge replayed_token").Content.Trim();
        Assert.Equal(shownChallenge, lines[2]);
    }

    private static JsonObject Response(string line, int status)
    {
        var prefix = status + " ";
        Assert.True(line.StartsWith(prefix, StringComparison.Ordinal), $"Expected a {status} answer, got: {line}");
        return JsonNode.Parse(line[prefix.Length..])!.AsObject();
    }

    private static void AssertSameShape(string shownJson, JsonObject real)
    {
        var shown = JsonNode.Parse(shownJson)!.AsObject();
        Assert.Equal(real.Select(p => p.Key).Order(), shown.Select(p => p.Key).Order());
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> env, Dictionary<string, string?>? extra)
    {
        foreach (var (name, value) in extra ?? [])
        {
            env[name] = value;
        }

        return env;
    }
}
