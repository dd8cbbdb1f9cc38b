using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using HdrHistogram;

namespace JustGold.LoadTest;

/// <summary>Drives GET /v1/ping with C concurrent workers; tokens come from an array or a bounded pipeline.</summary>
internal sealed class LoadRunner(Options options, HttpClient client, IReadOnlyList<string> partnerIds)
{
    // Latencies in microseconds, 3 significant digits (exact below 2048 µs, then within 0.1 %), up to an hour.
    private const long HighestMicros = 3_600_000_000;
    private const int SignificantDigits = 3;
    private readonly Uri[] pingUris = [.. options.Urls.Select(u => new Uri(u, "/v1/ping"))];
    private readonly Lock sampleLock = new();
    private readonly List<TokenEntry> sample = [];
    private long accepted;
    private long nextSequence;
    private long starved;

    public PhaseStats Main { get; } = new();

    public LongHistogram Latency { get; } = new(HighestMicros, SignificantDigits);

    public long Starved => Interlocked.Read(ref starved);

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Runs the main phase. Exactly one of <paramref name="tokens"/> and <paramref name="pipeline"/> is given.</summary>
    public async Task RunAsync(TokenEntry[]? tokens, ChannelReader<TokenEntry>? pipeline, TimeSpan? duration, double? rate)
    {
        using var stop = new CancellationTokenSource();
        // One histogram per worker (they are not thread-safe), added up at the end.
        var histograms = new LongHistogram[options.Connections];
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = rate is { } perSecond ? Stopwatch.Frequency / perSecond : 0;
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        async Task Worker(int w)
        {
            var histogram = histograms[w] = new LongHistogram(HighestMicros, SignificantDigits);
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
                histogram.RecordValue(Math.Clamp((long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds, 0, HighestMicros));
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
                ? new Outcome(200, PingAnswers.CheckPing(body, partnerIds[entry.Partner]))
                : new Outcome((int)response.StatusCode, PingAnswers.ErrorCode(body));
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
