using System.Net;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>What the traffic saw from a moment on (a kill, a restart): 503s, the slowest answer, how long partners went unserved.</summary>
public sealed record TrafficReport(int Requests, int Unavailable, TimeSpan Slowest, TimeSpan Window, string Partner)
{
    /// <summary>
    /// Answers given from <paramref name="from"/> until <paramref name="until"/> (so a request in
    /// flight at <paramref name="from"/> counts after it). The window is, over partners, the longest time from <paramref name="from"/> until the
    /// partner's first 200 after its last 503 (zero for partners that never got a 503).
    /// </summary>
    public static TrafficReport From(IEnumerable<TrafficAnswer> answers, TimeSpan from, TimeSpan until)
    {
        var seen = answers.Where(a => a.AnsweredAt >= from && a.AnsweredAt < until).OrderBy(a => a.At).ToList();
        var window = TimeSpan.Zero;
        var worst = "";
        foreach (var partner in seen.Where(a => !a.Replay).GroupBy(a => a.Partner))
        {
            var lastRefusal = partner.LastOrDefault(a => a.Status == HttpStatusCode.ServiceUnavailable);
            if (lastRefusal is null)
            {
                continue;
            }

            var servedAgain = partner.FirstOrDefault(a => a.At >= lastRefusal.AnsweredAt && a.Status == HttpStatusCode.OK);
            var end = (servedAgain?.AnsweredAt ?? until) - from;
            if (end > window)
            {
                (window, worst) = (end, partner.Key);
            }
        }

        return new TrafficReport(
            seen.Count,
            seen.Count(a => a.Status == HttpStatusCode.ServiceUnavailable),
            seen.Count == 0 ? TimeSpan.Zero : seen.Max(a => a.Latency),
            window,
            worst);
    }

    public override string ToString() =>
        $"{Requests} requests, {Unavailable} answered 503, slowest {Slowest.TotalMilliseconds:0} ms, partners unserved for at most {Window.TotalSeconds:0.00} s{(Partner.Length > 0 ? $" ({Partner})" : "")}";
}
