using System.Net;
using System.Text.RegularExpressions;
using JustGold.DocsTests.Infrastructure;

namespace JustGold.DocsTests;

/// <summary>The docsify site renders in a real browser, offline, and every sidebar link resolves.</summary>
public sealed partial class SiteRenderTests : IAsyncLifetime
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);
    private StaticSite? _site;

    private StaticSite Site => _site ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _site = await StaticSite.StartAsync(Repo.Docs);

    public async Task DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_sidebar_link_and_every_asset_resolves()
    {
        using var client = new HttpClient { BaseAddress = Site.Url, Timeout = TimeSpan.FromSeconds(10) };
        var links = OperatorDocsTests.SidebarLinks();
        Assert.NotEmpty(links);
        var paths = links.Select(l => l.Target).Concat(["index.html", "_sidebar.md"])
            .Concat(AssetPattern().Matches(Repo.Read("docs/index.html")).Select(m => m.Groups[1].Value));
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /{path} answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task Browser_shows_the_sidebar_and_the_partner_guide()
    {
        var dom = await DumpDomAsync("#/oauth2-jwt");
        var sidebar = SidebarPattern().Match(dom);
        Assert.True(sidebar.Success, "The rendered page has no docsify sidebar.\n" + Head(dom));
        foreach (var (text, _) in OperatorDocsTests.SidebarLinks())
        {
            Assert.True(sidebar.Value.Contains(">" + text + "<", StringComparison.Ordinal), $"The sidebar does not show the link '{text}'.");
        }

        Assert.Matches(@"<h1[^>]*>.*Authenticating to JustGold with signed JWTs", dom);
        Assert.Matches(@"<h2[^>]*>.*1\. Make a key pair", dom);
        Assert.Contains("Keep these three values at hand", dom, StringComparison.Ordinal);
        Assert.Contains("genpkey", dom, StringComparison.Ordinal);
        Assert.Contains("replayed_token", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("404 - Not found", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browser_shows_the_home_page()
    {
        var dom = await DumpDomAsync("");
        Assert.Matches(@"<h1[^>]*>.*JustGold partner authentication", dom);
        Assert.Contains("JWT authentication guide", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("404 - Not found", dom, StringComparison.Ordinal);
    }

    private async Task<string> DumpDomAsync(string route)
    {
        var chromium = Tools.Chromium();
        var profile = Directory.CreateTempSubdirectory("justgold-docs-chromium-").FullName;
        try
        {
            var result = await ChildProcess.RunAsync(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--virtual-time-budget=10000",
                "--dump-dom", new Uri(Site.Url, "/" + route).ToString(),
            ], profile, timeout: BrowserTimeout);
            Assert.True(result.ExitCode == 0 && result.Output.Length > 0, $"chromium --dump-dom failed.\n{result}");
            return result.Output;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Head(string text) => text.Length > 2000 ? text[..2000] : text;

    [GeneratedRegex(@"<aside[^>]*class=""[^""]*sidebar[^""]*""[\s\S]*?</aside>")]
    private static partial Regex SidebarPattern();

    [GeneratedRegex(@"(?:src|href)=""([^""]+\.(?:js|css))""")]
    private static partial Regex AssetPattern();
}
