using System.Reflection;

namespace JustGold.DocsTests.Infrastructure;

/// <summary>Paths in the repository this test assembly was built from.</summary>
public static class Repo
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string BuildConfiguration { get; } = Metadata("BuildConfiguration");

    public static string Docs => Path.Combine(Root, "docs");

    public static string Guide => Path.Combine(Docs, "oauth2-jwt.md");

    public static string Examples => Path.Combine(Root, "examples");

    public static string ApiDll => Path.Combine(Root, "src", "Api", "bin", BuildConfiguration, "net10.0", "JustGold.Api.dll");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
