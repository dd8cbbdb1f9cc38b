using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>One answer the API gave under <see cref="Traffic"/>: when it was asked, how long it took, what it said.</summary>
/// <remarks><see cref="Token"/> is kept for fresh tokens the API accepted, to replay them later.</remarks>
public sealed record TrafficAnswer(string Partner, TimeSpan At, TimeSpan Latency, HttpStatusCode Status, string? Error, bool Replay, string? Token)
{
    public TimeSpan AnsweredAt => At + Latency;
}

/// <summary>
/// Steady traffic on one API node from a few concurrent callers, each signing fresh tokens for
/// the partners in turn and now and then replaying an accepted one. Bounded: it stops by itself
/// after <c>maxDuration</c> or <c>maxRequests</c>. Records every answer, and every answer the
/// contract forbids here (a fresh token must get 200 or 503, a replay 401 replayed_token or 503).
/// </summary>
public sealed class Traffic
{
    private readonly ApiClient _api;
    private readonly IReadOnlyList<PartnerSigner> _partners;
    private readonly ConcurrentQueue<TrafficAnswer> _answers = new();
    private readonly ConcurrentQueue<string> _accepted = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _maxRequests;
    private readonly Task[] _workers;
    private int _requests;

    private Traffic(ApiClient api, IReadOnlyList<PartnerSigner> partners, int callers, TimeSpan pause, TimeSpan maxDuration, int maxRequests)
    {
        _api = api;
        _partners = partners;
        _maxRequests = maxRequests;
        _stop.CancelAfter(maxDuration);
        _workers = [.. Enumerable.Range(0, callers).Select(i => Task.Run(() => RunAsync(i, callers, pause)))];
    }

    /// <summary>Time since the traffic started, on the clock every answer is stamped with.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyCollection<TrafficAnswer> Answers => _answers;

    /// <summary>Fresh tokens the API accepted (200).</summary>
    public IReadOnlyCollection<string> Accepted => _accepted;

    public IReadOnlyCollection<string> Violations => _violations;

    public static Traffic Start(ApiClient api, IReadOnlyList<PartnerSigner> partners, int callers = 4, TimeSpan? pause = null,
        TimeSpan? maxDuration = null, int maxRequests = 20_000) =>
        new(api, partners, callers, pause ?? TimeSpan.FromMilliseconds(10), maxDuration ?? TimeSpan.FromSeconds(120), maxRequests);

    /// <summary>Waits on the traffic's clock, failing early if the API broke the contract.</summary>
    public async Task RunForAsync(TimeSpan duration)
    {
        var until = Now + duration;
        while (Now < until && !_stop.IsCancellationRequested)
        {
            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private async Task RunAsync(int caller, int callers, TimeSpan pause)
    {
        var random = new Random(caller);
        var turn = caller;
        while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _requests) <= _maxRequests)
        {
            var partner = _partners[turn % _partners.Count];
            turn += callers;
            var replay = turn % 5 == 0 && !_accepted.IsEmpty;
            var token = replay ? _accepted.ElementAt(random.Next(Math.Min(_accepted.Count, 1000))) : partner.CreateToken();
            var at = Now;
            HttpStatusCode status;
            string? error;
            try
            {
                (status, error) = await _api.PingAsync(token);
            }
            catch (HttpRequestException ex)
            {
                (status, error) = (0, ex.Message);
            }

            var acceptedFresh = !replay && status == HttpStatusCode.OK;
            _answers.Enqueue(new TrafficAnswer(replay ? "(replay)" : partner.PartnerId, at, Now - at, status, error, replay, acceptedFresh ? token : null));
            if (acceptedFresh)
            {
                _accepted.Enqueue(token);
            }

            var allowed = replay
                ? (status, error) is (HttpStatusCode.Unauthorized, "replayed_token") or (HttpStatusCode.ServiceUnavailable, "service_unavailable")
                : (status, error) is (HttpStatusCode.OK, null) or (HttpStatusCode.ServiceUnavailable, "service_unavailable");
            if (!allowed)
            {
                _violations.Enqueue($"{(replay ? "replayed" : "fresh")} token of {partner.PartnerId} at {at.TotalSeconds:0.00} s: {(int)status} {error}");
            }

            await Task.Delay(pause);
        }
    }
}
