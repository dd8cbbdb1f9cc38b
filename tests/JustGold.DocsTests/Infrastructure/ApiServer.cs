using System.Diagnostics;
using System.Net;
using System.Text;

namespace JustGold.DocsTests.Infrastructure;

/// <summary>
/// The real API (embedded default) as a child process: the build output of src/Api run with
/// <c>dotnet JustGold.Api.dll</c>, a fresh data directory and free ports on 127.0.0.1.
/// Disposing kills it by its PID.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _directory;

    private ApiServer(Process process, string directory, Uri url, string adminKey)
    {
        _process = process;
        _directory = directory;
        Url = url;
        AdminKey = adminKey;
    }

    public Uri Url { get; }

    public string BaseUrl => Url.ToString().TrimEnd('/');

    public string AdminKey { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="environment">Extra variables for the process, given the URL it serves HTTP/1.1 on.</param>
    public static async Task<ApiServer> StartAsync(Func<Uri, IReadOnlyDictionary<string, string?>>? environment = null)
    {
        Assert.True(File.Exists(Repo.ApiDll), $"The API is not built: {Repo.ApiDll} is missing (dotnet build src/Api -c {Repo.BuildConfiguration}).");
        var directory = Directory.CreateTempSubdirectory("justgold-docs-api-").FullName;
        var ports = FreePorts.Take(3);
        var url = new Uri($"http://127.0.0.1:{ports[0]}");
        var adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var info = ChildProcess.Prepare(Tools.Dotnet(), [Repo.ApiDll, "--urls", url.ToString().TrimEnd('/')], directory,
            new Dictionary<string, string?>
            {
                ["Admin__ApiKey"] = adminKey,
                ["Storage__DataDirectory"] = Path.Combine(directory, "data"),
                ["Cluster__SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cluster__GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            }.Concat(environment?.Invoke(url) ?? new Dictionary<string, string?>()).ToDictionary());
        var process = new Process { StartInfo = info };
        var server = new ApiServer(process, directory, url, adminKey);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public HttpClient CreateClient() => new() { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(15) };

    public async ValueTask DisposeAsync()
    {
        ChildProcess.Kill(_process);
        _process.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The API exited with code {_process.ExitCode} before it was ready.\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"The API did not answer 200 on /readyz within {ReadyTimeout.TotalSeconds:0} s.\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
