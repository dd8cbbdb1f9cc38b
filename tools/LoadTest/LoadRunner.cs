using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace JustGold.LoadTest;

/// <summary>Outcome of one request: HTTP status (0 when no answer) and, for anything unexpected, a code.</summary>
internal readonly record struct Outcome(int Status, string? Error);

/// <summary>Counters for one phase, updated concurrently by the workers.</summary>
internal sealed class PhaseStats
{
    private long completed;
    private long unexpected;

    public long Completed => Interlocked.Read(ref completed);

    public long Unexpected => Interlocked.Read(ref unexpected);

    public ConcurrentDictionary<int, long> Statuses { get; } = new();

    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public void Count(Outcome outcome, bool expected)
    {
        Interlocked.Increment(ref completed);
        Statuses.AddOrUpdate(outcome.Status, 1, (_, n) => n + 1);
        if (outcome.Error is not null)
        {
            Errors.AddOrUpdate(outcome.Error, 1, (_, n) => n + 1);
        }

        if (!expected)
        {
            Interlocked.Increment(ref unexpected);
        }
    }
}

/// <summary>Drives GET /v1/ping with C concurrent workers; tokens come from an array or a bounded pipeline.</summary>
internal sealed class LoadRunner(Options options, HttpClient client, IReadOnlyList<string> partnerIds)
{
    private readonly Uri[] pingUris = [.. options.Urls.Select(u => new Uri(u, "/v1/ping"))];
    private readonly Lock sampleLock = new();
    private readonly List<TokenEntry> sample = [];
    private long accepted;
    private long nextSequence;
    private long starved;

    public PhaseStats Main { get; } = new();

    public LatencyHistogram Latency { get; } = new();

    public long Starved => Interlocked.Read(ref starved);

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Runs the main phase. Exactly one of <paramref name="tokens"/> and <paramref name="pipeline"/> is given.</summary>
    public async Task RunAsync(TokenEntry[]? tokens, ChannelReader<TokenEntry>? pipeline, TimeSpan? duration)
    {
        using var stop = new CancellationTokenSource();
        var histograms = new LatencyHistogram[options.Connections];
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = options.Rate is { } rate ? Stopwatch.Frequency / rate : 0;
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        async Task Worker(int w)
        {
            var histogram = histograms[w] = new LatencyHistogram();
            while (true)
            {
                TokenEntry entry;
                long sequence;
                if (tokens is not null)
                {
                    sequence = Interlocked.Increment(ref nextSequence) - 1;
                    if (sequence >= tokens.Length)
                    {
                        return;
                    }

                    entry = tokens[sequence];
                }
                else
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    if (!pipeline!.TryRead(out entry))
                    {
                        Interlocked.Increment(ref starved);
                        try
                        {
                            entry = await pipeline.ReadAsync(stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }

                    sequence = Interlocked.Increment(ref nextSequence) - 1;
                }

                long sent;
                if (ticksPerRequest > 0)
                {
                    // Open loop: latency counts from the scheduled send time (no coordinated omission).
                    sent = start + (long)(sequence * ticksPerRequest);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), sent);
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                }
                else
                {
                    sent = Stopwatch.GetTimestamp();
                }

                var outcome = await PingAsync(pingUris[sequence % pingUris.Length], entry);
                histogram.Record(Stopwatch.GetElapsedTime(sent));
                var ok = outcome.Status == 200 && outcome.Error is null;
                Main.Count(outcome, ok);
                if (ok)
                {
                    Keep(entry);
                }
            }
        }

        using var progress = new CancellationTokenSource();
        var reporter = ReportProgressAsync(start, progress.Token);
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(w => Task.Run(() => Worker(w))));
        Elapsed = Stopwatch.GetElapsedTime(start);
        await progress.CancelAsync();
        await reporter;
        foreach (var h in histograms)
        {
            Latency.Add(h);
        }
    }

    /// <summary>Resends the sampled accepted tokens; each must be refused with 401 replayed_token.</summary>
    public async Task<PhaseStats> ReplayAsync()
    {
        var replay = new PhaseStats();
        TokenEntry[] tokens;
        lock (sampleLock)
        {
            tokens = [.. sample];
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.Connections, 16) };
        await Parallel.ForEachAsync(Enumerable.Range(0, tokens.Length), parallel, async (i, _) =>
        {
            var outcome = await PingAsync(pingUris[i % pingUris.Length], tokens[i]);
            replay.Count(outcome, outcome is { Status: 401, Error: "replayed_token" });
        });
        return replay;
    }

    // Reservoir sampling over all accepted tokens, so the replay sample spans the whole run.
    private void Keep(TokenEntry entry)
    {
        if (options.ReplaySample == 0)
        {
            return;
        }

        lock (sampleLock)
        {
            var seen = ++accepted;
            if (sample.Count < options.ReplaySample)
            {
                sample.Add(entry);
            }
            else if (Random.Shared.NextInt64(seen) is var j && j < options.ReplaySample)
            {
                sample[(int)j] = entry;
            }
        }
    }

    private async Task<Outcome> PingAsync(Uri uri, TokenEntry entry)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("Authorization", entry.Authorization);
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK
                ? new Outcome(200, CheckPing(body, partnerIds[entry.Partner]))
                : new Outcome((int)response.StatusCode, ErrorCode(body));
        }
        catch (HttpRequestException e)
        {
            return new Outcome(0, "transport:" + e.HttpRequestError);
        }
        catch (TaskCanceledException)
        {
            return new Outcome(0, "transport:timeout");
        }
    }

    // A 200 must be {"status":"ok","partner":<iss>,...}; anything else is counted as an error.
    private static string? CheckPing(byte[] body, string partner)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("status", out var status) && status.ValueEquals("ok")
                && root.TryGetProperty("partner", out var p) && p.ValueEquals(partner)
                ? null
                : "(200 with unexpected body)";
        }
        catch (JsonException)
        {
            return "(200 with non-JSON body)";
        }
    }

    private static string ErrorCode(byte[] body)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String
                ? error.GetString()!
                : "(no error field)";
        }
        catch (JsonException)
        {
            return "(non-JSON body)";
        }
    }

    private async Task ReportProgressAsync(long start, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long last = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var done = Main.Completed;
                await Console.Error.WriteLineAsync(
                    $"[{Stopwatch.GetElapsedTime(start).TotalSeconds,5:F0}s] {done,9} requests  {done - last,7} req/s  unexpected {Main.Unexpected}  starved {Starved}");
                last = done;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
