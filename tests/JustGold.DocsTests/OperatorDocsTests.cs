using JustGold.Grains.Contracts;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JustGold.Api.Admin;
using JustGold.DocsTests.Infrastructure;
using JustGold.Grains.Hosting;
using JustGold.Grains.Storage;
using JustGold.Api.Authentication;

namespace JustGold.DocsTests;

/// <summary>The operator pages and the site's structure agree with the code and with each other.</summary>
public sealed partial class OperatorDocsTests
{
    /// <summary>The options classes behind every configuration key, with their sections.</summary>
    private static readonly (string Section, object Defaults)[] OptionClasses =
    [
        (AdminOptions.SectionName, new AdminOptions()),
        (PartnerAuthOptions.SectionName, new PartnerAuthOptions()),
        (StorageOptions.SectionName, new StorageOptions()),
        (ClusterSettings.SectionName, new ClusterSettings()),
    ];

    [Fact]
    public void Configuration_table_lists_every_key_with_the_code_default()
    {
        var page = Repo.Read("docs/operations.md");
        var rows = MarkdownBlocks.LinesAfterMarker(page, "config-table").Skip(2).Select(MarkdownBlocks.Cells)
            .ToDictionary(r => r[0].Trim('`'), r => r);

        var expected = new Dictionary<string, string>();
        foreach (var (section, defaults) in OptionClasses)
        {
            foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                expected[$"{section}:{property.Name}"] = Show(property.GetValue(defaults));
            }
        }

        Assert.Equal(expected.Keys.Order(), rows.Keys.Order());
        foreach (var (key, shownDefault) in expected)
        {
            var row = rows[key];
            Assert.Equal($"`{key.Replace(":", "__", StringComparison.Ordinal)}`", row[1]);
            Assert.True(row[2].Trim('`') == shownDefault, $"operations.md shows {row[2]} as the default of {key}; the code's is {shownDefault}.");
        }
    }

    [Fact]
    public void Api_appsettings_agree_with_the_documented_defaults()
    {
        var settings = JsonNode.Parse(Repo.Read("src/Api/appsettings.json"))!.AsObject();
        foreach (var (section, defaults) in OptionClasses)
        {
            if (settings[section] is not JsonObject values)
            {
                continue;
            }

            foreach (var (name, value) in values)
            {
                var property = defaults.GetType().GetProperty(name);
                Assert.True(property is not null, $"src/Api/appsettings.json sets {section}:{name}, which no options class reads.");
                var shown = value is null || value.ToString().Length == 0 ? "(none)" : value.ToJsonString().Trim('"');
                Assert.Equal(Show(property!.GetValue(defaults)), shown);
            }
        }
    }

    [Fact]
    public void Product_hosts_ship_without_thread_pool_spinning_and_the_baseline_keeps_the_runtime_default()
    {
        const string Setting = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

        // The built API: the setting must reach the runtimeconfig.json that `dotnet JustGold.Api.dll` reads.
        var runtimeConfig = Path.ChangeExtension(Repo.ApiDll, ".runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(runtimeConfig))!["runtimeOptions"]!["configProperties"]!;
        Assert.Equal(0, properties[Setting]!.GetValue<int>());

        // The silo declares the same (this test project does not build it); the stock baseline must not,
        // or the benchmark would compare against a tuned handler instead of the stock one.
        Assert.Contains($"<RuntimeHostConfigurationOption Include=\"{Setting}\" Value=\"0\" />", Repo.Read("src/Silo/JustGold.Silo.csproj"), StringComparison.Ordinal);
        Assert.DoesNotContain("UnfairSemaphoreSpinLimit", Repo.Read("tools/Baseline/JustGold.Baseline.csproj"), StringComparison.Ordinal);

        var page = Repo.Read("docs/operations.md");
        Assert.Contains($"`{Setting}` is `0`", page, StringComparison.Ordinal);
        Assert.Contains("`DOTNET_ThreadPool_UnfairSemaphoreSpinLimit`", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Sidebar_links_every_page_and_every_link_has_a_page()
    {
        var links = SidebarLinks();
        var pages = Directory.EnumerateFiles(Repo.Docs, "*.md", SearchOption.TopDirectoryOnly)
            .Select(path => Path.GetFileName(path))
            .Where(name => !name.StartsWith('_'))
            .Order()
            .ToList();
        Assert.Equal(pages, links.Select(l => l.Target).Order().ToList());
        string[] required = ["README.md", "oauth2-jwt.md", "operations.md", "admin-api.md", "key-rotation.md", "architecture.md", "cluster.md"];
        Assert.All(required, page => Assert.Contains(page, pages));
    }

    [Fact]
    public void Site_loads_nothing_from_the_internet()
    {
        var index = Repo.Read("docs/index.html");
        Assert.DoesNotMatch(ExternalAsset(), index);
        foreach (Match asset in LocalAsset().Matches(index))
        {
            var path = Path.Combine(Repo.Docs, asset.Groups[1].Value);
            Assert.True(File.Exists(path), $"index.html loads {asset.Groups[1].Value}, which is not in docs/.");
            Assert.DoesNotMatch(CssImport(), File.ReadAllText(path));
        }

        Assert.Contains("vendor/docsify/docsify.min.js", index, StringComparison.Ordinal);
    }

    [Fact]
    public void Admin_api_page_describes_every_route()
    {
        var page = Repo.Read("docs/admin-api.md");
        string[] routes =
        [
            "PUT /admin/partners/{partnerId}", "GET /admin/partners", "GET /admin/partners/{partnerId}",
            "POST /admin/partners/{partnerId}/keys", "GET /admin/partners/{partnerId}/keys",
            "DELETE /admin/partners/{partnerId}/keys/{kid}", "GET /admin/partners/{partnerId}/audit",
        ];
        Assert.All(routes, r => Assert.Contains($"## `{r}`", page, StringComparison.Ordinal));
    }

    public static IReadOnlyList<(string Text, string Target)> SidebarLinks() =>
        [.. SidebarLink().Matches(Repo.Read("docs/_sidebar.md")).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string s when s.Length == 0 => "(none)",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)]+\.md)\)")]
    private static partial Regex SidebarLink();

    [GeneratedRegex(@"(src|href)\s*=\s*[""'](https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalAsset();

    [GeneratedRegex(@"(?:src|href)=""([^""]+\.(?:js|css))""")]
    private static partial Regex LocalAsset();

    [GeneratedRegex(@"@import\s+url\(\s*[""']?https?:", RegexOptions.IgnoreCase)]
    private static partial Regex CssImport();
}
