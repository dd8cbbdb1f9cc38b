using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// A gateway program (nginx, Caddy) started by a test with its own config in its own folder,
/// listening on a free 127.0.0.1 port. Disposing kills it and its workers by PID and removes the folder.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private GatewayProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts <paramref name="program"/> and waits until it accepts connections on <paramref name="port"/>.</summary>
    public static async Task<GatewayProcess> StartAsync(string program, IEnumerable<string> arguments, string directory, int port,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var path = ExecutableOnPath.Find(program)
            ?? throw new InvalidOperationException($"{program} is not installed (.ci/run installs the gateways the tests need).");
        var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var gateway = new GatewayProcess(new Process { StartInfo = info }, directory, port);
        gateway._process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        gateway._process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        gateway._process.Start();
        gateway._process.BeginErrorReadLine();
        gateway._process.BeginOutputReadLine();
        try
        {
            await gateway.WaitForPortAsync(program);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        ApiFixture.TryDelete(_directory);
        return ValueTask.CompletedTask;
    }

    private async Task WaitForPortAsync(string program)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ListenTimeout)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{program} exited with code {_process.ExitCode}:\n{Log()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail($"{program} did not listen on {Port} within {ListenTimeout.TotalSeconds:0} s:\n{Log()}");
    }

    private string Log()
    {
        var errorLog = Path.Combine(_directory, "error.log");
        lock (_log)
        {
            return _log + (File.Exists(errorLog) ? File.ReadAllText(errorLog) : "");
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
