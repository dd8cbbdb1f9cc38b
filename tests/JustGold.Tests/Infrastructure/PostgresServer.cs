using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace JustGold.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for tests: a fresh cluster (initdb) in a temp folder, listening
/// only on 127.0.0.1 on a free port, trust authentication, and a database named <c>justgold</c>.
/// Uses Debian's binaries (/usr/lib/postgresql/15/bin, override with JUSTGOLD_PG_BIN). When the
/// test process runs as root the server runs as the <c>postgres</c> user via <c>runuser</c>,
/// because initdb/postgres refuse to run as root.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Name of the database created for the tests.</summary>
    public const string DatabaseName = "justgold";

    private const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly string binDirectory;
    private readonly bool runAsServiceUser;
    private readonly string rootDirectory;
    private readonly string dataDirectory;
    private readonly string logFile;
    private bool running;
    private bool disposed;

    private PostgresServer(string binDirectory, bool runAsServiceUser, string rootDirectory, int port)
    {
        this.binDirectory = binDirectory;
        this.runAsServiceUser = runAsServiceUser;
        this.rootDirectory = rootDirectory;
        this.dataDirectory = Path.Combine(rootDirectory, "data");
        this.logFile = Path.Combine(rootDirectory, "postgres.log");
        Port = port;
        ConnectionString = BuildConnectionString(port, DatabaseName);
        AdminConnectionString = BuildConnectionString(port, "postgres");
    }

    /// <summary>TCP port on 127.0.0.1 the server listens on (kept across restarts).</summary>
    public int Port { get; }

    /// <summary>Npgsql connection string to the <c>justgold</c> database (user postgres, no password).</summary>
    public string ConnectionString { get; }

    /// <summary>Npgsql connection string to the built-in <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Folder holding the data directory and the server log (postgres.log).</summary>
    public string RootDirectory => rootDirectory;

    /// <summary>Whether the server is currently started by this helper.</summary>
    public bool IsRunning => running;

    /// <summary>Creates a fresh cluster, starts it and creates the <c>justgold</c> database.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var binDirectory = Environment.GetEnvironmentVariable("JUSTGOLD_PG_BIN");
        if (string.IsNullOrWhiteSpace(binDirectory))
        {
            binDirectory = DefaultBinDirectory;
        }

        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
        {
            if (!File.Exists(Path.Combine(binDirectory, tool)))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL binary '{tool}' not found in '{binDirectory}'. " +
                    "Install Debian's postgresql package (apt-get install -y postgresql-15), " +
                    "or point JUSTGOLD_PG_BIN at a folder holding initdb, pg_ctl and postgres.");
            }
        }

        var runAsServiceUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        if (runAsServiceUser && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
        {
            throw new InvalidOperationException(
                "Running as root but 'runuser' is missing; it is needed to run PostgreSQL as the postgres user.");
        }

        // The postgres user must be able to reach the folder, so as root stay out of TMPDIR
        // (which might live under /root) and use /tmp.
        var tempBase = runAsServiceUser ? "/tmp" : Path.GetTempPath();
        var rootDirectory = Path.Combine(tempBase, "justgold-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(rootDirectory);

        var server = new PostgresServer(binDirectory, runAsServiceUser, rootDirectory, GetFreePort());
        try
        {
            await server.InitializeAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server (pg_ctl stop -m fast); the data directory is kept.</summary>
    public async Task StopAsync()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!running)
        {
            return;
        }

        // Idle pooled connections are not cleared on purpose: code under test must cope with them
        // (call NpgsqlConnection.ClearAllPools() in the test if that is not what you want).
        await PgCtlAsync("stop", "-m", "fast").ConfigureAwait(false);
        running = false;
    }

    /// <summary>Starts the stopped server again, same data directory and port.</summary>
    public async Task StartAgainAsync()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (running)
        {
            return;
        }

        await StartServerAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server (if running) and deletes its temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (running || File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            try
            {
                await PgCtlAsync("stop", "-m", "fast").ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                await PgCtlAsync("stop", "-m", "immediate").ConfigureAwait(false);
            }

            running = false;
        }

        ClearOwnPools();

        try
        {
            Directory.Delete(rootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the test run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void ClearOwnPools()
    {
        foreach (var connectionString in new[] { ConnectionString, AdminConnectionString })
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private static string BuildConnectionString(int port, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = ServiceUser,
            Database = database,
            Timeout = 10,
            IncludeErrorDetail = true,
        }.ConnectionString;

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task InitializeAsync()
    {
        if (runAsServiceUser)
        {
            await RunAsync("chown", [ServiceUser + ":" + ServiceUser, rootDirectory], asServiceUser: false)
                .ConfigureAwait(false);
        }

        // -A trust: no passwords, for local socket and TCP alike; -N: skip fsync (throwaway data).
        await RunAsync(
                Path.Combine(binDirectory, "initdb"),
                ["-D", dataDirectory, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--no-locale", "-N"],
                asServiceUser: runAsServiceUser)
            .ConfigureAwait(false);

        // Appended settings win over initdb's defaults and survive restarts.
        var settings = new StringBuilder()
            .AppendLine()
            .AppendLine("# JustGold test server")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{rootDirectory}'")
            .AppendLine("max_connections = 100")
            .AppendLine("shared_buffers = 32MB")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .ToString();
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.conf"), settings).ConfigureAwait(false);

        await StartServerAsync().ConfigureAwait(false);

        var admin = new NpgsqlConnection(AdminConnectionString);
        await using (admin.ConfigureAwait(false))
        {
            await admin.OpenAsync().ConfigureAwait(false);
            var create = new NpgsqlCommand("CREATE DATABASE " + DatabaseName, admin);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task StartServerAsync()
    {
        await PgCtlAsync("start", "-l", logFile).ConfigureAwait(false);
        running = true;
        await WaitUntilAcceptingConnectionsAsync().ConfigureAwait(false);
    }

    private async Task WaitUntilAcceptingConnectionsAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false");
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL on 127.0.0.1:{Port} did not accept connections within {ReadyTimeout.TotalSeconds:0}s. " +
                    $"Server log: {logFile}{Environment.NewLine}{ReadLogTail()}",
                    ex);
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private Task PgCtlAsync(string action, params string[] extra) =>
        RunAsync(
            Path.Combine(binDirectory, "pg_ctl"),
            [action, "-D", dataDirectory, "-w", "-t", "60", .. extra],
            asServiceUser: runAsServiceUser);

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = asServiceUser ? "runuser" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = rootDirectory,
        };
        if (asServiceUser)
        {
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(ServiceUser);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{startInfo.FileName}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' did not finish within {CommandTimeout.TotalSeconds:0}s.");
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}:{Environment.NewLine}{output}" +
                $"{Environment.NewLine}{ReadLogTail()}");
        }
    }

    private string ReadLogTail()
    {
        try
        {
            if (!File.Exists(logFile))
            {
                return string.Empty;
            }

            var lines = File.ReadAllLines(logFile);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
