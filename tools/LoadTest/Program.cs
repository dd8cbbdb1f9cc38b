using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using HdrHistogram;
using JustGold.LoadTest;

Options? options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + "\n\n" + Options.Usage);
    return 2;
}

if (options is null)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Connections,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ConnectTimeout = TimeSpan.FromSeconds(10),
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
})
{
    Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
    DefaultRequestVersion = HttpVersion.Version11,
    DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
};

// Setup: keys, registration.
PartnerKey[] keys;
var problems = new List<string>();
try
{
    var watch = Stopwatch.StartNew();
    keys = PartnerKeys.LoadOrCreate(options, out var created);
    Console.Error.WriteLine($"Keys: {keys.Length} partners in {options.KeysDir} ({created} created) in {watch.Elapsed.TotalSeconds:F1}s");
    if (options.Register)
    {
        watch.Restart();
        (keys, problems) = await PartnerKeys.RegisterAsync(client, options.Urls[0], options.AdminKey!, keys, CancellationToken.None);
        Console.Error.WriteLine($"Registered {keys.Length} partners and keys at {options.Urls[0]} in {watch.Elapsed.TotalSeconds:F1}s");
        foreach (var problem in problems)
        {
            Console.Error.WriteLine("WARNING: " + problem);
        }
    }
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync("Setup failed: " + e.Message);
    return 3;
}

if (options.SetupOnly)
{
    return problems.Count > 0 ? 1 : 0;
}

var factory = new TokenFactory(options, keys);
if (options.SaveTokens is { } saveFile && options.Requests is { } saveCount)
{
    // Signing is the slow part of a run (RSA: about 1k tokens/s per core); a saved set is signed once and sent by several runs.
    var watch = Stopwatch.StartNew();
    var saved = new TokenEntry[saveCount];
    Parallel.For(0, saveCount, i => saved[i] = factory.Create());
    await File.WriteAllLinesAsync(saveFile, saved.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Partner}\t{t.Authorization}")));
    Console.Error.WriteLine($"Saved {saveCount} {options.Algorithm} tokens to {saveFile} in {watch.Elapsed.TotalSeconds:F1}s");
    return 0;
}

var runner = new LoadRunner(options, client, factory.PartnerIds);
var targetRate = options.Rate;
double? warmupRate = null; // req/s of the warm-up, when there was one
var generation = new Dictionary<string, object>();
var producers = new List<Thread>();
using var stopProducers = new CancellationTokenSource();

if (options.Requests is { } count)
{
    // Count mode: every token is signed before the clock starts, on all cores.
    var watch = Stopwatch.StartNew();
    TokenEntry[] tokens;
    if (options.TokensFile is { } tokensFile)
    {
        tokens = [.. File.ReadLines(tokensFile).Skip(options.Skip).Take((int)count + options.Warmup).Select(ParseSavedToken)];
        if (tokens.Length < count + options.Warmup)
        {
            await Console.Error.WriteLineAsync($"{tokensFile} has {tokens.Length} tokens from line {options.Skip}, fewer than --warmup {options.Warmup} + --requests {count}.");
            return 2;
        }

        Console.Error.WriteLine($"Read {count} saved tokens from {tokensFile} (from line {options.Skip}) in {watch.Elapsed.TotalSeconds:F1}s");
        generation["mode"] = "saved";
        generation["tokensPerSecond"] = 0;
    }
    else
    {
        tokens = new TokenEntry[count + options.Warmup];
        Parallel.For(0, tokens.Length, i => tokens[i] = factory.Create());
        var seconds = watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"Generated {tokens.Length} {options.Algorithm} tokens in {seconds:F1}s ({tokens.Length / seconds:F0}/s on {Environment.ProcessorCount} cores)");
        generation["mode"] = "pregenerated";
        generation["tokensPerSecond"] = Math.Round(count / seconds);
    }

    if (options.Warmup > 0)
    {
        // Its own runner: nothing it sees is counted or replayed; only the connections and the compiled code carry over.
        watch.Restart();
        var warm = new LoadRunner(options, client, factory.PartnerIds);
        await warm.RunAsync(tokens[..options.Warmup], null, null, rate: null);
        warmupRate = Math.Round(options.Warmup / warm.Elapsed.TotalSeconds, 1);
        Console.Error.WriteLine($"Warmed up with {options.Warmup} requests in {warm.Elapsed.TotalSeconds:F1}s ({warmupRate:F0} req/s)");
        tokens = tokens[options.Warmup..];
        if (options.RateOfWarmup is { } fraction)
        {
            targetRate = Math.Round(fraction * warmupRate.Value);
        }
    }

    await runner.RunAsync(tokens, null, null, targetRate);
}
else
{
    // Duration mode: producers on all cores keep a bounded buffer full while the workers drain it.
    var channel = Channel.CreateBounded<TokenEntry>(new BoundedChannelOptions(options.Buffer) { FullMode = BoundedChannelFullMode.Wait });
    for (var p = 0; p < Environment.ProcessorCount; p++)
    {
        // Dedicated threads with blocking waits, so signing never occupies the workers' thread pool.
        var producer = new Thread(() =>
        {
            try
            {
                while (!stopProducers.IsCancellationRequested)
                {
                    var entry = factory.Create();
                    while (!channel.Writer.TryWrite(entry))
                    {
                        channel.Writer.WaitToWriteAsync(stopProducers.Token).AsTask().GetAwaiter().GetResult();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        })
        { IsBackground = true, Name = "token-producer-" + p };
        producer.Start();
        producers.Add(producer);
    }

    var watch = Stopwatch.StartNew();
    while (channel.Reader.Count < options.Buffer)
    {
        await Task.Delay(100);
    }

    var seconds = watch.Elapsed.TotalSeconds;
    Console.Error.WriteLine($"Buffered {options.Buffer} {options.Algorithm} tokens in {seconds:F1}s ({options.Buffer / seconds:F0}/s on {Environment.ProcessorCount} cores)");
    generation["mode"] = "pipeline";
    generation["buffer"] = options.Buffer;
    generation["tokensPerSecond"] = Math.Round(options.Buffer / seconds);
    await runner.RunAsync(null, channel.Reader, TimeSpan.FromSeconds(options.DurationSeconds), targetRate);
}

await stopProducers.CancelAsync();
producers.ForEach(p => p.Join());

generation["starved"] = runner.Starved;

PhaseStats? replay = null;
if (options.ExpectReplay && options.ReplaySample > 0)
{
    replay = await runner.ReplayAsync();
}

// Report.
var main = runner.Main;
var latency = runner.Latency;
var rps = main.Completed / runner.Elapsed.TotalSeconds;
var exitCode = main.Unexpected > 0 || (replay?.Unexpected ?? 0) > 0 || problems.Count > 0 ? 1 : 0;
var summary = new Dictionary<string, object?>
{
    ["urls"] = options.Urls.Select(u => u.ToString()).ToArray(),
    ["algorithm"] = options.Algorithm,
    ["kid"] = options.IncludeKid,
    ["partners"] = options.Partners,
    ["distribution"] = options.Distribution.ToString().ToLowerInvariant(),
    ["connections"] = options.Connections,
    ["targetRate"] = targetRate,
    ["warmupRequestsPerSecond"] = warmupRate,
    ["rateOfWarmup"] = options.RateOfWarmup,
    ["requests"] = main.Completed,
    ["seconds"] = Math.Round(runner.Elapsed.TotalSeconds, 3),
    ["requestsPerSecond"] = Math.Round(rps, 1),
    ["latencyMs"] = new Dictionary<string, double>
    {
        ["p50"] = Millis(latency, 50),
        ["p90"] = Millis(latency, 90),
        ["p99"] = Millis(latency, 99),
        ["p999"] = Millis(latency, 99.9),
        ["max"] = latency.GetMaxValue() / 1000.0,
    },
    ["statuses"] = main.Statuses.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
    ["errors"] = main.Errors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
    ["unexpected"] = main.Unexpected,
    ["generation"] = generation,
    ["replay"] = replay is null ? null : new Dictionary<string, object>
    {
        ["sent"] = replay.Completed,
        ["mismatches"] = replay.Unexpected,
        ["statuses"] = replay.Statuses.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
        ["errors"] = replay.Errors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
    },
    ["setupProblems"] = problems,
    ["exitCode"] = exitCode,
};

Console.WriteLine($"""

    {options.Algorithm}, kid {(options.IncludeKid ? "on" : "off")}, {options.Partners} partners ({summary["distribution"]}), {options.Connections} connections{(targetRate is { } r ? $", target {r} req/s (latency from scheduled send)" : "")}
    Requests:   {main.Completed} in {runner.Elapsed.TotalSeconds:F2}s = {rps:F0} req/s
    Latency ms: p50 {Millis(latency, 50):F2}  p90 {Millis(latency, 90):F2}  p99 {Millis(latency, 99):F2}  p99.9 {Millis(latency, 99.9):F2}  max {latency.GetMaxValue() / 1000.0:F2}
    Statuses:   {Format(main.Statuses)}
    Errors:     {Format(main.Errors)}
    Unexpected: {main.Unexpected}
    Generation: {generation["mode"]}, {generation["tokensPerSecond"]} tokens/s, workers starved {runner.Starved} times{(runner.Starved > 0 ? " (generation did not keep up)" : "")}
    Replay:     {(replay is null ? "skipped" : $"{replay.Completed} resent, {replay.Unexpected} mismatches; statuses {Format(replay.Statuses)}; errors {Format(replay.Errors)}")}
    """);

if (options.JsonFile is { } jsonFile)
{
    await File.WriteAllTextAsync(jsonFile, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}

return exitCode;

static TokenEntry ParseSavedToken(string line)
{
    var tab = line.IndexOf('\t', StringComparison.Ordinal);
    return tab > 0 && int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var partner)
        ? new TokenEntry(line[(tab + 1)..], partner)
        : throw new FormatException("A saved token line is '<partner index>\\t<Authorization value>'.");
}

// The latency (recorded in microseconds) at or below which that percentage of requests fell, in milliseconds.
static double Millis(LongHistogram histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;

static string Format<TKey>(IEnumerable<KeyValuePair<TKey, long>> counts) where TKey : notnull =>
    counts.Any() ? string.Join(", ", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")) : "none";
