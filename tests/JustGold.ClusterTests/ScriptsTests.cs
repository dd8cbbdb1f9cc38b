using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>scripts/cluster-up.sh and cluster-down.sh work, and stay in step with docker-compose.yml.</summary>
public sealed partial class ScriptsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);
    private readonly string _stateDirectory = Path.Combine("/tmp", "justgold-scripts-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Dictionary<string, string> _environment = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Whatever happened, stop what the script started (it signals only its own PIDs) and remove the state.
        if (Directory.Exists(_stateDirectory))
        {
            await RunScriptAsync("cluster-down.sh", "--purge");
        }
    }

    [Fact]
    public async Task Cluster_up_starts_postgres_two_silos_and_an_api_node_and_cluster_down_stops_exactly_them()
    {
        var apiPort = FreePort();
        _environment["JUSTGOLD_STATE_DIR"] = _stateDirectory;
        _environment["PG_PORT"] = Invariant(FreePort());
        _environment["SILO_PORTS"] = $"{FreePort()} {FreePort()}";
        _environment["GATEWAY_PORTS"] = $"{FreePort()} {FreePort()}";
        _environment["SILO_HTTP_PORTS"] = $"{FreePort()} {FreePort()}";
        _environment["API_PORT"] = Invariant(apiPort);
        _environment["ADMIN_API_KEY"] = ClusterHarness.AdminKey;
        _environment["CONFIGURATION"] = ClusterHarness.Configuration;

        var (upCode, upOutput) = await RunScriptAsync("cluster-up.sh");
        Assert.True(upCode == 0, upOutput);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var api = new ApiClient(http, new Uri($"http://127.0.0.1:{apiPort}"));
        Assert.Equal(HttpStatusCode.OK, await api.GetStatusAsync("/readyz"));
        var partner = (await TestPartners.CreateAsync(api, "scripted", 1))[0];
        using (partner)
        {
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partner.CreateToken()));
        }

        var pids = Directory.GetFiles(Path.Combine(_stateDirectory, "pids"), "*.pid")
            .Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(3, pids.Count);
        Assert.All(pids, pid => Assert.False(Process.GetProcessById(pid).HasExited));

        var (downCode, downOutput) = await RunScriptAsync("cluster-down.sh", "--purge");
        Assert.True(downCode == 0, downOutput);
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} still running"));
        Assert.False(Directory.Exists(_stateDirectory));
    }

    [Fact]
    public void Docker_compose_and_scripts_use_the_same_settings_and_ports()
    {
        var root = ClusterHarness.RepositoryRoot;
        var compose = File.ReadAllText(Path.Combine(root, "docker-compose.yml"));
        var up = File.ReadAllText(Path.Combine(root, "scripts", "cluster-up.sh"));
        var env = File.ReadAllText(Path.Combine(root, "scripts", "cluster-env.sh"));

        // Same settings, except how a silo's HTTP port is given (a container listens on every address).
        var composeKeys = SettingName().Matches(compose).Select(m => m.Value).ToHashSet();
        var scriptKeys = SettingName().Matches(up).Select(m => m.Value).ToHashSet();
        scriptKeys.Remove("Silo__HttpPort");
        Assert.Equal(scriptKeys.Order(), composeKeys.Order());

        // Same ports: silos 11111/30000 and 11112/30001, silo HTTP 8081/8082, API 8080.
        foreach (var port in new[] { "11111", "11112", "30000", "30001", "8081", "8082", "8080" })
        {
            Assert.Contains(port, env, StringComparison.Ordinal);
            Assert.Contains(port, compose, StringComparison.Ordinal);
        }
    }

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string script, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ClusterHarness.RepositoryRoot,
        };
        startInfo.ArgumentList.Add(Path.Combine(ClusterHarness.RepositoryRoot, "scripts", script));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["JUSTGOLD_STATE_DIR"] = _stateDirectory;
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var text = await stdout + await stderr;
        output.WriteLine($"$ {script} {string.Join(' ', arguments)} -> {process.ExitCode}{Environment.NewLine}{text}");
        return (process.ExitCode, text);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"\b(Cluster|Storage|Admin|Silo)__[A-Za-z]+\b")]
    private static partial Regex SettingName();
}
