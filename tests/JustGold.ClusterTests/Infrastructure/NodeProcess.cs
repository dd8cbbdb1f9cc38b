using System.Collections.Concurrent;
using System.Diagnostics;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>
/// One silo or API node: <c>dotnet &lt;dll&gt;</c> as a child process with its own environment.
/// Only this process is ever signalled or killed, by its PID.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int MaxLogLines = 400;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Process _process;

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static NodeProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        startInfo.ArgumentList.Add(dll);

        // Nothing inherited may point a node at other ports or another environment.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            startInfo.Environment.Remove(inherited);
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var node = new NodeProcess(name, process);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
    }

    /// <summary>SIGTERM (a graceful stop), then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>The last lines the node wrote, for failure messages.</summary>
    public string Tail(int lines = 60) =>
        $"--- {Name} (pid {Pid}{(HasExited ? $", exited {_process.ExitCode}" : "")}) ---{Environment.NewLine}" +
        string.Join(Environment.NewLine, _log.Skip(Math.Max(0, _log.Count - lines)));

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > MaxLogLines && _log.TryDequeue(out _))
        {
        }
    }
}
