using System.Net;
using JustGold.ClusterTests.Infrastructure;
using Xunit.Abstractions;

namespace JustGold.ClusterTests;

/// <summary>
/// The embedded default killed (<c>kill -9</c>) right after answering under concurrent load: every
/// token answered <c>200</c> is refused as <c>replayed_token</c> by the restarted process, which
/// reads the replay journal files the dead one left behind.
/// </summary>
public sealed class EmbeddedCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClusterHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterHarness.StartAsync(output);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Kill9_right_after_200s_keeps_every_accepted_jti()
    {
        var data = _cluster.NewDirectory("data");
        _cluster.StartEmbeddedApi(0, data);
        await _cluster.WaitApiReadyAsync(0);
        var api = _cluster.ApiClient(0);
        var partners = await TestPartners.CreateAsync(api, "crash", 3);

        // Many tokens in flight at once, so they share group commits; the kill comes as soon as
        // the answers are in, while later requests are still being sent.
        var accepted = new System.Collections.Concurrent.ConcurrentBag<string>();
        var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var partner = partners[i % partners.Count];
            while (!stop.IsCancellationRequested)
            {
                var token = partner.CreateToken();
                try
                {
                    if ((await api.PingAsync(token)).Status == HttpStatusCode.OK)
                    {
                        accepted.Add(token);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the process is gone
                }
            }
        })).ToArray();
        await _cluster.WaitUntilAsync("300 tokens accepted", TimeSpan.FromSeconds(60), () => Task.FromResult(accepted.Count >= 300));
        _cluster.Api(0).Kill();
        var acceptedBeforeKill = accepted.ToArray();
        await stop.CancelAsync();
        await _cluster.Api(0).WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(senders);

        _cluster.StartEmbeddedApi(0, data);
        await _cluster.WaitApiReadyAsync(0);

        foreach (var token in accepted)
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "replayed_token"), await api.PingAsync(token));
        }

        Assert.True(acceptedBeforeKill.Length >= 300);
        foreach (var partner in partners)
        {
            Assert.Equal((HttpStatusCode.OK, null), await api.PingAsync(partner.CreateToken()));
        }

        // Fixed-size records only: each journal file is a whole number of 32-byte records.
        var journal = Directory.GetFiles(Path.Combine(data, "replay"));
        Assert.NotEmpty(journal);
        Assert.All(journal, file => Assert.Equal(0, new FileInfo(file).Length % 32));
    }
}
