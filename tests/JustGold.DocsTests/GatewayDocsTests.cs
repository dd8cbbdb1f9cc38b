using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using JustGold.DocsTests.Infrastructure;
using JustGold.PartnerAuth.AspNetCore;

namespace JustGold.DocsTests;

/// <summary>docs/gateways.md shows the tested files, the handler's real names, and an ext_authz setup that works.</summary>
public sealed class GatewayDocsTests
{
    private static readonly string Page = Repo.Read("docs/gateways.md");
    private static readonly IReadOnlyList<CodeBlock> Blocks = MarkdownBlocks.Read(Page);

    [Fact]
    public void Every_code_block_is_checked()
    {
        Assert.NotEmpty(Blocks);
        Assert.All(Blocks, b => Assert.True(b.Kind is "include" or "ext-authz-endpoints" or "dotnet-handler",
            $"docs/gateways.md line {b.Line}: a code block needs a <!-- test: … --> marker that a test checks."));
    }

    [Theory]
    [InlineData("deploy/nginx/justgold-gateway.conf")]
    [InlineData("deploy/caddy/Caddyfile")]
    [InlineData("deploy/envoy/envoy.yaml")]
    [InlineData("deploy/traefik/dynamic.yml")]
    public void Each_gateway_config_is_shown_exactly_as_the_file(string file)
    {
        var block = Assert.Single(Blocks, b => b.Kind == "include" && b.Argument == file);
        var text = Repo.Read(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(text == block.Content, $"docs/gateways.md line {block.Line} differs from {file}; copy the file into the page again.");
        Assert.Equal(4, Blocks.Count(b => b.Kind == "include"));
    }

    [Fact]
    public void Handler_snippet_uses_the_librarys_names_and_defaults()
    {
        var snippet = MarkdownBlocks.Single(Blocks, "dotnet-handler").Content;

        Assert.Contains($"{nameof(JustGoldPartnerDefaults)}.{nameof(JustGoldPartnerDefaults.AuthenticationScheme)}", snippet, StringComparison.Ordinal);
        Assert.Contains($".{nameof(JustGoldPartnerExtensions.AddJustGoldPartner)}(o => o.{nameof(JustGoldPartnerOptions.AuthorityUrl)} =", snippet, StringComparison.Ordinal);
        Assert.Contains($"{nameof(JustGoldPartnerClaimTypes)}.{nameof(JustGoldPartnerClaimTypes.PartnerId)}", snippet, StringComparison.Ordinal);
        foreach (var claim in new[] { JustGoldPartnerClaimTypes.PartnerId, JustGoldPartnerClaimTypes.Subject, JustGoldPartnerClaimTypes.Kid, JustGoldPartnerClaimTypes.Jti })
        {
            Assert.Contains($"`{claim}`", Page, StringComparison.Ordinal);
        }

        var timeout = new JustGoldPartnerOptions().Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"(`Timeout`, {timeout} s by default", Page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documented_ext_authz_endpoints_serve_Check_over_h2c_next_to_http()
    {
        // The page's variables, with the example ports replaced by free ones on 127.0.0.1.
        var grpcPort = FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture);
        var variables = MarkdownBlocks.Single(Blocks, "ext-authz-endpoints").Content
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.TrimEnd('\\').Trim().Split('=', 2))
            .ToList();
        Assert.Equal(3, variables.Count);
        await using var api = await ApiServer.StartAsync(url => variables.ToDictionary(
            v => v[0],
            v => (string?)v[1].Replace("0.0.0.0:8080", $"127.0.0.1:{url.Port}", StringComparison.Ordinal)
                .Replace("0.0.0.0:9191", $"127.0.0.1:{grpcPort}", StringComparison.Ordinal)));

        // An empty CheckRequest (no authorization header) in one uncompressed gRPC frame.
        using var grpc = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{grpcPort}/envoy.service.auth.v3.Authorization/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await grpc.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.True(body.Length > 5, "Check answered no CheckResponse");
        Assert.Contains("missing_token", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        using var http = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }
}
