using System.Net;
using Xunit.Abstractions;

namespace JustGold.ClusterTests.Infrastructure;

/// <summary>Checks shared by the failure tests.</summary>
public static class ClusterAssert
{
    /// <summary>
    /// Replays the tokens accepted within 3 s of <paramref name="around"/> (where a double
    /// acceptance would hide) and a bounded sample of the rest: each must be refused as a replay.
    /// </summary>
    public static async Task ReplaysRefusedAsync(ApiClient api, Traffic traffic, TimeSpan around, ITestOutputHelper output, int sample = 200)
    {
        var accepted = traffic.Answers.Where(a => a.Token is not null).ToList();
        Assert.NotEmpty(accepted);
        var near = accepted.Where(a => (a.At - around).Duration() < TimeSpan.FromSeconds(3)).ToList();
        var random = new Random(12);
        var chosen = near.Concat(Enumerable.Range(0, sample).Select(_ => accepted[random.Next(accepted.Count)])).Distinct().ToList();
        output.WriteLine($"replaying {chosen.Count} of {accepted.Count} accepted tokens ({near.Count} accepted within 3 s of the event)");
        foreach (var answer in chosen)
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "replayed_token"), await api.PingAsync(answer.Token!));
        }
    }
}
