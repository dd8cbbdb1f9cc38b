namespace JustGold.Tests.Infrastructure;

/// <summary>The repository's root folder (where JustGold.Orleans.sln is), for tests that run shipped files.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "JustGold.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("JustGold.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
