namespace JustGold.Tests.Infrastructure;

/// <summary>Helpers for tests that run installed programs with the repository's shipped config files.</summary>
public static class ExecutableOnPath
{
    /// <summary>The full path of <paramref name="program"/> on PATH (or in /usr/sbin, where Debian puts nginx), or null.</summary>
    public static string? Find(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin"))
        {
            var candidate = Path.Combine(directory, program);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Replaces <paramref name="from"/>, which must occur exactly once, so a changed shipped file fails loudly.</summary>
    public static string ReplaceOnce(string text, string from, string to, string file)
    {
        var first = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(first >= 0 && text.IndexOf(from, first + 1, StringComparison.Ordinal) < 0,
            $"{file} must contain '{from}' exactly once (the tests replace it).");
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
