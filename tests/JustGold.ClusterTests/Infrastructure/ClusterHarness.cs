using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using JustGold.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>
/// A whole cluster on 127.0.0.1 for one test: its own PostgreSQL (initdb into a temp folder),
/// silo and API node processes started from the built dlls of src/Silo and src/Api. Each
/// node index keeps its ports across restarts. Disposing kills exactly the processes it started.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public const string AdminKey = "cluster-tests-admin-key-0123456789";

    private static readonly HashSet<NodeProcess> LiveNodes = [];
    private readonly ITestOutputHelper _output;
    private readonly string _workDirectory;
    private readonly List<NodeProcess> _started = [];
    private readonly Dictionary<int, (int Silo, int Gateway, int Http)> _siloPorts = [];
    private readonly Dictionary<int, int> _apiPorts = [];
    private readonly Dictionary<int, NodeProcess> _silos = [];
    private readonly Dictionary<int, NodeProcess> _apis = [];

    static ClusterHarness()
    {
        // If the test host itself goes down, it takes its nodes along.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (LiveNodes)
            {
                foreach (var node in LiveNodes)
                {
                    try
                    {
                        node.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
            }
        };
    }

    private ClusterHarness(ITestOutputHelper output, PostgresServer postgres, string workDirectory)
    {
        _output = output;
        Postgres = postgres;
        _workDirectory = workDirectory;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public PostgresServer Postgres { get; }

    public HttpClient Http { get; }

    /// <summary>Extra settings for every silo started from now on.</summary>
    public Dictionary<string, string> SiloSettings { get; } = [];

    public static async Task<ClusterHarness> StartAsync(ITestOutputHelper output)
    {
        var postgres = await PostgresServer.StartAsync();
        var work = Path.Combine(Path.GetTempPath(), "justgold-cluster-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(work);
        return new ClusterHarness(output, postgres, work);
    }

    public NodeProcess Silo(int index) => _silos[index];

    public NodeProcess Api(int index) => _apis[index];

    public Uri SiloUri(int index) => new($"http://127.0.0.1:{_siloPorts[index].Http}");

    public ApiClient ApiClient(int index) => new(Http, new Uri($"http://127.0.0.1:{_apiPorts[index]}"));

    public NodeProcess StartSilo(int index)
    {
        if (!_siloPorts.TryGetValue(index, out var ports))
        {
            ports = (FreePort(), FreePort(), FreePort());
            _siloPorts[index] = ports;
        }

        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = Postgres.ConnectionString,
            ["Storage__ApplySchema"] = "true",
            ["Storage__DurableReplayRecords"] = "true",
            ["Cluster__Membership"] = "Postgres",
            ["Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Cluster__SiloPort"] = Invariant(ports.Silo),
            ["Cluster__GatewayPort"] = Invariant(ports.Gateway),
            ["Silo__HttpPort"] = Invariant(ports.Http),
        };
        foreach (var (key, value) in SiloSettings)
        {
            environment[key] = value;
        }

        var node = Track(NodeProcess.Start($"silo{index}", BuiltDll("Silo"), environment, NodeDirectory($"silo{index}")));
        _silos[index] = node;
        return node;
    }

    public NodeProcess StartApi(int index)
    {
        if (!_apiPorts.TryGetValue(index, out var port))
        {
            port = FreePort();
            _apiPorts[index] = port;
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Invariant(port)}",
            ["Cluster__Mode"] = "Client",
            ["Cluster__Membership"] = "Postgres",
            ["Cluster__ConnectionString"] = Postgres.ConnectionString,
            ["Admin__ApiKey"] = AdminKey,
        };
        var node = Track(NodeProcess.Start($"api{index}", BuiltDll("Api"), environment, NodeDirectory($"api{index}")));
        _apis[index] = node;
        return node;
    }

    /// <summary>
    /// API node <paramref name="index"/> in the embedded shape (its own silo, SQLite and replay
    /// journal in <paramref name="dataDirectory"/>), keeping its ports across restarts.
    /// </summary>
    public NodeProcess StartEmbeddedApi(int index, string dataDirectory)
    {
        if (!_siloPorts.TryGetValue(100 + index, out var ports))
        {
            ports = (FreePort(), FreePort(), FreePort());
            _siloPorts[100 + index] = ports;
            _apiPorts[index] = ports.Http;
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Invariant(ports.Http)}",
            ["Storage__DataDirectory"] = dataDirectory,
            ["Cluster__SiloPort"] = Invariant(ports.Silo),
            ["Cluster__GatewayPort"] = Invariant(ports.Gateway),
            ["Admin__ApiKey"] = AdminKey,
        };
        var node = Track(NodeProcess.Start($"embedded{index}", BuiltDll("Api"), environment, NodeDirectory($"embedded{index}")));
        _apis[index] = node;
        return node;
    }

    /// <summary>A fresh folder inside this harness's work folder (deleted with it).</summary>
    public string NewDirectory(string name) => NodeDirectory(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Starts silos 0..silos-1 and API nodes 0..apis-1 and waits until all are ready.</summary>
    public async Task StartClusterAsync(int silos, int apis)
    {
        for (var i = 0; i < silos; i++)
        {
            StartSilo(i);
        }

        for (var i = 0; i < apis; i++)
        {
            StartApi(i);
        }

        for (var i = 0; i < silos; i++)
        {
            await WaitSiloReadyAsync(i);
        }

        for (var i = 0; i < apis; i++)
        {
            await WaitApiReadyAsync(i);
        }
    }

    public Task WaitSiloReadyAsync(int index, TimeSpan? timeout = null) =>
        WaitReadyAsync(_silos[index], new Uri(SiloUri(index), "/readyz"), timeout ?? TimeSpan.FromSeconds(90));

    public Task WaitApiReadyAsync(int index, TimeSpan? timeout = null) =>
        WaitReadyAsync(_apis[index], new Uri(ApiClient(index).BaseUri, "/readyz"), timeout ?? TimeSpan.FromSeconds(90));

    /// <summary>GET on any node: the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri uri)
    {
        using var response = await Http.GetAsync(uri);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="probe"/> until it returns true; fails with the nodes' logs at the deadline.</summary>
    public async Task<TimeSpan> WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> probe)
    {
        var started = DateTime.UtcNow;
        var deadline = started + timeout;
        while (true)
        {
            if (await probe())
            {
                return DateTime.UtcNow - started;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what}{Environment.NewLine}{Logs()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Active partner grains on silos 0..count-1, from their /metrics (0 for a silo that does not answer).</summary>
    public async Task<double[]> PartnerGrainsPerSiloAsync(int count)
    {
        var grains = new double[count];
        for (var i = 0; i < count; i++)
        {
            try
            {
                grains[i] = TestPartners.Sample(await Http.GetStringAsync(new Uri(SiloUri(i), "/metrics")), "partner_auth_partner_grains_active");
            }
            catch (HttpRequestException)
            {
                grains[i] = 0;
            }
        }

        return grains;
    }

    /// <summary>The lines of API node <paramref name="api"/>'s /metrics that start with <paramref name="name"/>.</summary>
    public Task<string> MetricAsync(int api, string name) => MetricLinesAsync(ApiClient(api).BaseUri, name);

    /// <summary>The lines of silo <paramref name="silo"/>'s /metrics that start with <paramref name="name"/>.</summary>
    public Task<string> SiloMetricAsync(int silo, string name) => MetricLinesAsync(SiloUri(silo), name);

    private async Task<string> MetricLinesAsync(Uri node, string name)
    {
        try
        {
            var text = await Http.GetStringAsync(new Uri(node, "/metrics"));
            return string.Join(Environment.NewLine, text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)));
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The tails of every running or last-started node's log.</summary>
    public string Logs() => string.Join(Environment.NewLine, _silos.Values.Concat(_apis.Values).Select(n => n.Tail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _started)
        {
            await node.DisposeAsync();
            lock (LiveNodes)
            {
                LiveNodes.Remove(node);
            }
        }

        try
        {
            _output.WriteLine(Logs());
        }
        catch (InvalidOperationException)
        {
            // No test is running any more to write to.
        }

        Http.Dispose();
        await Postgres.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitReadyAsync(NodeProcess node, Uri readyz, TimeSpan timeout) =>
        await WaitUntilAsync($"{node.Name} ready at {readyz}", timeout, async () =>
        {
            if (node.HasExited)
            {
                throw new InvalidOperationException($"{node.Name} exited before it was ready.{Environment.NewLine}{node.Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync(readyz);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });

    private NodeProcess Track(NodeProcess node)
    {
        _started.Add(node);
        lock (LiveNodes)
        {
            LiveNodes.Add(node);
        }

        return node;
    }

    private string NodeDirectory(string name)
    {
        var directory = Path.Combine(_workDirectory, name);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The build configuration of the tests, and so of the silo and API dlls they run.</summary>
    public static string Configuration { get; } =
        typeof(ClusterHarness).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The folder holding JustGold.Orleans.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "JustGold.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"JustGold.Orleans.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>src/{project}/bin/{Configuration}/net10.0/JustGold.{project}.dll, built through the ProjectReferences.</summary>
    public static string BuiltDll(string project)
    {
        var dll = Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, "net10.0", $"JustGold.{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/{project} ({Configuration}) first.", dll);
    }
}
