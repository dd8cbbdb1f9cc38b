using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// Real nginx running <c>deploy/nginx/justgold-gateway.conf</c> as shipped, with only its two
/// upstream addresses and its listen port replaced, in its own prefix directory on 127.0.0.1.
/// Disposing kills the master and its workers by PID.
/// </summary>
public sealed class NginxGateway : IAsyncDisposable
{
    public const string ShippedConfig = "deploy/nginx/justgold-gateway.conf";

    private readonly Process _process;
    private readonly string _directory;

    private NginxGateway(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    public static async Task<NginxGateway> StartAsync(int authPort, int upstreamPort)
    {
        var nginx = ExecutableOnPath.Find("nginx") ?? throw new InvalidOperationException("nginx is not installed (Debian: apt-get install nginx-light; .ci/run installs it).");
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("justgold-nginx-").FullName;
        var site = File.ReadAllText(Path.Combine(RepoRoot.Path, ShippedConfig));
        site = ExecutableOnPath.ReplaceOnce(site, "server 127.0.0.1:8080;", $"server 127.0.0.1:{authPort};", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, "server 127.0.0.1:9000;", $"server 127.0.0.1:{upstreamPort};", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, "listen 8000;", $"listen 127.0.0.1:{port};", ShippedConfig);
        File.WriteAllText(Path.Combine(directory, "justgold-gateway.conf"), site);

        // The main file a distribution ships, reduced to what a test needs: everything in this directory,
        // workers as the same user (as root, nginx would otherwise switch them to "nobody").
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), user + $$"""
            worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{directory}}/access.log;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/justgold-gateway.conf;
            }
            """);

        var info = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf") })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var gateway = new NginxGateway(process, directory, port);
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

    private static async Task WaitForPortAsync(Process process, int port, NginxGateway gateway)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                Assert.Fail($"nginx exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}:\n{gateway.ErrorLog}");
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

        Assert.Fail($"nginx did not listen on {port} within 15 s:\n{gateway.ErrorLog}");
    }
}
