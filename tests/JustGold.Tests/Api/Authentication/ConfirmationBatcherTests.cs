using System.Diagnostics.Metrics;
using JustGold.Api.Authentication;
using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Invocation;

namespace JustGold.Tests.Api.Authentication;

/// <summary>
/// The order of <see cref="ConfirmationBatcher"/>'s steps, which a real cluster shows only by
/// timing: one call in flight per partner, what gathered meanwhile sent as one batch, that
/// batch sent before the answered one's requests resume, and a failure kept to its own batch.
/// The grain here holds every call until the test answers it (PartnerGrainTests drive the
/// same batcher against a real cluster).
/// </summary>
public sealed class ConfirmationBatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task What_arrives_while_a_call_is_out_goes_together_in_the_next_call()
    {
        var grain = new HeldGrain();
        var batcher = Batcher(grain);

        var first = batcher.ConfirmAsync("p", Confirmation("a"));
        var second = batcher.ConfirmAsync("p", Confirmation("b"));
        var third = batcher.ConfirmAsync("p", Confirmation("c"));
        Assert.Single(grain.Calls);

        grain.Calls[0].Answer(ConfirmationVerdict.Accepted);
        await grain.WaitForCallsAsync(2);
        Assert.Equal(["b", "c"], grain.Calls[1].Jtis);

        grain.Calls[1].Answer(ConfirmationVerdict.Replayed, ConfirmationVerdict.Accepted);
        Assert.Equal(
            [ConfirmationVerdict.Accepted, ConfirmationVerdict.Replayed, ConfirmationVerdict.Accepted],
            await Task.WhenAll(first, second, third).WaitAsync(Bound));
        Assert.Equal(2, grain.Calls.Count);
    }

    [Fact]
    public async Task The_next_batch_is_on_its_way_before_the_answered_requests_resume()
    {
        var grain = new HeldGrain();
        var batcher = Batcher(grain);
        var first = batcher.ConfirmAsync("p", Confirmation("a"));
        var second = batcher.ConfirmAsync("p", Confirmation("b"));

        // Runs the moment the first request resumes, on whatever thread resumes it.
        var callsWhenResumed = first.ContinueWith(_ => grain.Calls.Count, TaskContinuationOptions.ExecuteSynchronously);
        grain.Calls[0].Answer(ConfirmationVerdict.Accepted);

        Assert.Equal(2, await callsWhenResumed.WaitAsync(Bound));
        grain.Calls[1].Answer(ConfirmationVerdict.Accepted);
        Assert.Equal(ConfirmationVerdict.Accepted, await second.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_failed_call_fails_its_own_batch_closed_and_the_next_batch_still_goes()
    {
        var grain = new HeldGrain();
        var batcher = Batcher(grain);
        var first = batcher.ConfirmAsync("p", Confirmation("a"));
        var second = batcher.ConfirmAsync("p", Confirmation("b"));
        var third = batcher.ConfirmAsync("p", Confirmation("c"));

        grain.Calls[0].Fail(new TimeoutException("silo went silent"));
        await grain.WaitForCallsAsync(2);
        grain.Calls[1].Answer(ConfirmationVerdict.Accepted, ConfirmationVerdict.Accepted);

        await Assert.ThrowsAsync<TimeoutException>(() => first.WaitAsync(Bound));
        Assert.Equal(ConfirmationVerdict.Accepted, await second.WaitAsync(Bound));
        Assert.Equal(ConfirmationVerdict.Accepted, await third.WaitAsync(Bound));
    }

    [Fact]
    public async Task Partners_have_a_call_in_flight_each()
    {
        var grain = new HeldGrain();
        var batcher = Batcher(grain);

        var first = batcher.ConfirmAsync("p", Confirmation("a"));
        var other = batcher.ConfirmAsync("q", Confirmation("a"));

        Assert.Equal(2, grain.Calls.Count);
        grain.Calls[1].Answer(ConfirmationVerdict.Accepted);
        Assert.Equal(ConfirmationVerdict.Accepted, await other.WaitAsync(Bound));
        Assert.False(first.IsCompleted);
        grain.Calls[0].Answer(ConfirmationVerdict.Replayed);
        Assert.Equal(ConfirmationVerdict.Replayed, await first.WaitAsync(Bound));
    }

    /// <summary>
    /// The batcher answers the last request of a batch on the thread that resumed it, which is
    /// only right because Orleans resumes a caller through the thread pool, never on the thread
    /// that delivered the response (a grain's turn or a connection's read loop). Should an
    /// Orleans upgrade change that, this fails, and the batcher must hand every answer to the pool.
    /// </summary>
    [Fact]
    public void Orleans_resumes_grain_callers_asynchronously()
    {
        foreach (var source in new object[] { new ResponseCompletionSource<ConfirmationVerdict>(), new ResponseCompletionSource<ConfirmationVerdict[]>() })
        {
            var core = source.GetType().GetField("_core", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(source)!;
            Assert.True((bool)core.GetType().GetProperty("RunContinuationsAsynchronously")!.GetValue(core)!);
        }
    }

    private static TokenConfirmation Confirmation(string jti) => new("kid-1", jti, 4_000_000_000);

    private static ConfirmationBatcher Batcher(HeldGrain grain) => new(
        _ => grain,
        new ConfirmationSender(
            new GatewayLossSignal(),
            Options.Create(new ClusterSettings()),
            TimeProvider.System,
            new PartnerAuthMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
            NullLogger<ConfirmationSender>.Instance));

    /// <summary>One call the grain took: its jti values, answered or failed by the test.</summary>
    private sealed class HeldCall(TokenConfirmation[] confirmations)
    {
        private readonly TaskCompletionSource<ConfirmationVerdict[]> _answer = new();

        public string[] Jtis { get; } = [.. confirmations.Select(c => c.Jti)];

        public Task<ConfirmationVerdict[]> Task => _answer.Task;

        public void Answer(params ConfirmationVerdict[] verdicts) => _answer.SetResult(verdicts);

        public void Fail(Exception exception) => _answer.SetException(exception);
    }

    private sealed class HeldGrain : IPartnerGrain
    {
        private readonly List<HeldCall> _calls = [];

        public List<HeldCall> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public async Task WaitForCallsAsync(int count)
        {
            for (var i = 0; i < 1000 && Calls.Count < count; i++)
            {
                await Task.Delay(10);
            }

            Assert.True(Calls.Count >= count, $"only {Calls.Count} of {count} calls arrived");
        }

        public async Task<ConfirmationVerdict> ConfirmAsync(TokenConfirmation confirmation) => (await Take([confirmation]))[0];

        public Task<ConfirmationVerdict[]> ConfirmBatchAsync(TokenConfirmation[] confirmations) => Take(confirmations);

        public Task<PartnerUpsertResult> UpsertAsync(PartnerUpdate update) => throw new NotSupportedException();

        public Task<PartnerDetails?> GetAsync() => throw new NotSupportedException();

        public Task<KeyChangeResult> AddKeyAsync(PartnerKey key, string actor) => throw new NotSupportedException();

        public Task<KeyChangeResult> RevokeKeyAsync(string kid, string actor) => throw new NotSupportedException();

        public Task<PartnerKeySet> GetKeySetAsync() => throw new NotSupportedException();

        private Task<ConfirmationVerdict[]> Take(TokenConfirmation[] confirmations)
        {
            var call = new HeldCall(confirmations);
            lock (_calls)
            {
                _calls.Add(call);
            }

            return call.Task;
        }
    }
}
