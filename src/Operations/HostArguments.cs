namespace JustGold.Operations;

/// <summary>The command line both processes hand to their host builder.</summary>
public static class HostArguments
{
    /// <summary>
    /// <paramref name="args"/> with configuration reload switched off. Options are read and
    /// validated once at start, so a changed appsettings file needs a restart anyway; a reloading
    /// host would instead watch the whole content root, subfolders included, and the embedded
    /// default keeps its data directory there: every replay record written would wake the
    /// watcher (measured: about 2 % of the API node's CPU under load).
    /// </summary>
    public static string[] WithoutConfigReload(string[] args) => [.. args, "--hostBuilder:reloadConfigOnChange=false"];
}
