namespace JustGold.DocsTests.Infrastructure;

/// <summary>
/// The programs the documentation tests use. A missing one fails the test with what to
/// install; nothing is skipped silently.
/// </summary>
public static class Tools
{
    /// <summary>Debian's Python, which has the python3-jwt package (a pyenv python3 on PATH may not).</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static string Require(string program, string install)
    {
        var path = ChildProcess.FindOnPath(program);
        Assert.True(path is not null, $"'{program}' is not installed or not on PATH. Install it: {install}");
        return path!;
    }

    public static string Chromium() =>
        ChildProcess.FindOnPath("chromium") ?? ChildProcess.FindOnPath("/usr/bin/chromium")
        ?? Require("chromium", "apt-get install -y chromium");

    public static async Task<string> RequirePyJwtAsync()
    {
        Require(DebianPython, "apt-get install -y python3 python3-jwt python3-cryptography");
        var probe = await ChildProcess.RunAsync(DebianPython, ["-c", "import jwt, cryptography; print(jwt.__version__)"],
            Path.GetTempPath(), timeout: TimeSpan.FromSeconds(30));
        Assert.True(probe.ExitCode == 0,
            $"{DebianPython} cannot import PyJWT with cryptography. Install it: apt-get install -y python3-jwt python3-cryptography\n{probe}");
        return DebianPython;
    }

    /// <summary>The dotnet host that runs these tests, for starting the API and the C# example.</summary>
    public static string Dotnet()
    {
        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost))
        {
            return fromHost;
        }

        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Require("dotnet", "the .NET 10 SDK");
    }
}
