using System.Diagnostics;
using System.Net.Sockets;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// Real Caddy running <c>deploy/caddy/Caddyfile</c> as shipped, with only its two upstream
/// addresses and its site address replaced, with its own home and data folders on 127.0.0.1.
/// Disposing kills it by PID.
/// </summary>
public sealed class CaddyGateway : IAsyncDisposable
{
    public const string ShippedConfig = "deploy/caddy/Caddyfile";

    private readonly Process _process;
    private readonly string _directory;
    private readonly System.Text.StringBuilder _log = new();

    private CaddyGateway(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public static async Task<CaddyGateway> StartAsync(int authPort, int upstreamPort)
    {
        var caddy = ExecutableOnPath.Find("caddy") ?? throw new InvalidOperationException("caddy is not installed (Debian: apt-get install caddy; .ci/run installs it).");
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("justgold-caddy-").FullName;
        var site = File.ReadAllText(Path.Combine(RepoRoot.Path, ShippedConfig));
        site = ExecutableOnPath.ReplaceOnce(site, "forward_auth 127.0.0.1:8080 {", $"forward_auth 127.0.0.1:{authPort} {{", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, "reverse_proxy 127.0.0.1:9000", $"reverse_proxy 127.0.0.1:{upstreamPort}", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, ":8000 {", $"http://127.0.0.1:{port} {{", ShippedConfig);
        var file = Path.Combine(directory, "Caddyfile");
        File.WriteAllText(file, site);

        var info = new ProcessStartInfo(caddy) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "run", "--config", file, "--adapter", "caddyfile" })
        {
            info.ArgumentList.Add(argument);
        }

        // Caddy keeps state under $HOME / XDG folders: give it this directory, not the user's.
        info.Environment["HOME"] = directory;
        info.Environment["XDG_DATA_HOME"] = Path.Combine(directory, "data");
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(directory, "config");
        var process = Process.Start(info)!;
        var gateway = new CaddyGateway(process, directory, port);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await WaitForPortAsync(process, port, gateway);
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

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
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

    private static async Task WaitForPortAsync(Process process, int port, CaddyGateway gateway)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                Assert.Fail($"caddy exited with code {process.ExitCode}:\n{gateway.Log()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail($"caddy did not listen on {port} within 15 s:\n{gateway.Log()}");
    }
}
