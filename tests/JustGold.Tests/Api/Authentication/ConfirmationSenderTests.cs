using System.Diagnostics.Metrics;
using JustGold.Api.Authentication;
using JustGold.Grains.Contracts;
using JustGold.Grains.Diagnostics;
using JustGold.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JustGold.Tests.Api.Authentication;

/// <summary>
/// The rules of <see cref="ConfirmationSender"/>, which a real cluster only shows by chance:
/// what is sent again, and when a waiting confirmation is given up. The grain here answers
/// exactly what each test scripts (the cluster tests cover the real failures).
/// </summary>
public sealed class ConfirmationSenderTests
{
    private static readonly TokenConfirmation[] One = [new("kid-1", "jti-1", 4_000_000_000)];
    private readonly FakeTimeProvider _clock = new();
    private readonly GatewayLossSignal _gatewayLoss = new();

    [Fact]
    public async Task A_rejection_is_sent_again_because_no_grain_code_ran()
    {
        var grain = new ScriptedGrain(
            () => Task.FromException<ConfirmationVerdict>(Rejection("Forwarding failed")),
            () => Task.FromResult(ConfirmationVerdict.Accepted));

        var sending = Sender().SendAsync("p", grain, One);
        await AdvanceUntilAsync(sending);

        Assert.Equal([ConfirmationVerdict.Accepted], await sending);
        Assert.Equal(2, grain.Calls);
    }

    [Fact]
    public async Task A_failure_after_which_the_grain_may_have_decided_is_never_sent_again()
    {
        // SiloUnavailableException derives from OrleansMessageRejectionException, yet a silo that
        // died after taking the call raises it too.
        foreach (var failure in new Exception[] { new SiloUnavailableException("gone"), new TimeoutException("late") })
        {
            var grain = new ScriptedGrain(() => Task.FromException<ConfirmationVerdict>(failure));

            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => Sender().SendAsync("p", grain, One));
            Assert.Same(failure, thrown);
            Assert.Equal(1, grain.Calls);
        }
    }

    [Fact]
    public async Task Rejections_are_sent_again_a_bounded_number_of_times()
    {
        var grain = new ScriptedGrain(() => Task.FromException<ConfirmationVerdict>(new GatewayTooBusyException()));

        var sending = Sender().SendAsync("p", grain, One);
        await AdvanceUntilAsync(sending);

        await Assert.ThrowsAsync<GatewayTooBusyException>(() => sending);
        Assert.Equal(4, grain.Calls);
    }

    [Fact]
    public async Task A_call_waiting_when_a_gateway_connection_drops_gets_only_the_grace()
    {
        var never = new TaskCompletionSource<ConfirmationVerdict>();
        var sending = Sender().SendAsync("p", new ScriptedGrain(() => never.Task), One);

        _gatewayLoss.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        var waited = await AdvanceUntilAsync(sending, TimeSpan.FromMilliseconds(10));

        // The grace starts once the sender has seen the drop, at most a step or two after it.
        Assert.InRange(waited.TotalMilliseconds, 500, 700);
        await Assert.ThrowsAsync<TimeoutException>(() => sending);
    }

    [Fact]
    public async Task A_slow_call_is_still_answered_when_no_connection_dropped()
    {
        var slow = new TaskCompletionSource<ConfirmationVerdict>();
        var sending = Sender().SendAsync("p", new ScriptedGrain(() => slow.Task), One);

        _clock.Advance(TimeSpan.FromMilliseconds(1900));
        _gatewayLoss.NotifyGatewayCountChanged(3, 2, connectionRecovered: true);
        slow.SetResult(ConfirmationVerdict.Replayed);

        Assert.Equal([ConfirmationVerdict.Replayed], await sending);
    }

    [Fact]
    public async Task An_answer_that_lands_just_after_a_connection_drop_is_seen_is_the_answer_not_a_failure()
    {
        // The order a silo's last answer and its closing connection can take on two threads: the
        // sender's wait ends on the drop, the answer lands, then the sender resumes. Its
        // resumption is held in a queue (the call starts under a context that holds what is
        // posted to it, and the drop is signalled from outside it) to make that order certain.
        var answer = new TaskCompletionSource<ConfirmationVerdict>();
        using var answered = _gatewayLoss.Token.Register(() => answer.SetResult(ConfirmationVerdict.Accepted));
        var held = new HeldContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(held);
        Task<ConfirmationVerdict[]> sending;
        try
        {
            sending = Sender().SendAsync("p", new ScriptedGrain(() => answer.Task), One);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        _gatewayLoss.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        Assert.True(answer.Task.IsCompleted);
        Assert.False(sending.IsCompleted);
        held.RunUntil(sending);

        Assert.Equal([ConfirmationVerdict.Accepted], await sending);
    }

    [Fact]
    public async Task A_call_lost_without_a_dropped_connection_is_given_up_after_the_confirmation_timeout()
    {
        var never = new TaskCompletionSource<ConfirmationVerdict>();
        var sending = Sender().SendAsync("p", new ScriptedGrain(() => never.Task), One);

        var waited = await AdvanceUntilAsync(sending, TimeSpan.FromMilliseconds(20));

        Assert.InRange(waited.TotalMilliseconds, 2000, 2100);
        await Assert.ThrowsAsync<TimeoutException>(() => sending);
    }

    [Fact]
    public async Task A_batch_goes_in_one_call()
    {
        var grain = new ScriptedGrain(() => Task.FromResult(ConfirmationVerdict.Accepted));
        TokenConfirmation[] two = [One[0], One[0] with { Jti = "jti-2" }];

        Assert.Equal([ConfirmationVerdict.Accepted, ConfirmationVerdict.Accepted], await Sender().SendAsync("p", grain, two));
        Assert.Equal(1, grain.Calls);
    }

    /// <summary>Orleans builds this exception only inside its runtime (the constructor is not public).</summary>
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException),
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, [message], null)!;

    private ConfirmationSender Sender() => new(
        _gatewayLoss,
        Options.Create(new ClusterSettings { GatewayLossGraceMilliseconds = 500, ConfirmationTimeoutMilliseconds = 2000 }),
        _clock,
        new PartnerAuthMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        NullLogger<ConfirmationSender>.Instance);

    /// <summary>Moves the fake clock on in small steps until the task finishes; returns the fake time that took.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Task task, TimeSpan? step = null)
    {
        var started = _clock.GetUtcNow();
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            await Task.Delay(5);
            if (!task.IsCompleted)
            {
                _clock.Advance(step ?? TimeSpan.FromMilliseconds(50));
            }
        }

        await Task.Delay(5);
        Assert.True(task.IsCompleted, "still waiting after 200 steps of the fake clock");
        return _clock.GetUtcNow() - started;
    }

    /// <summary>Queues every continuation posted to it until <see cref="RunUntil"/> runs them on the test's thread.</summary>
    private sealed class HeldContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public void RunUntil(Task task)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                for (var i = 0; i < 1000 && !task.IsCompleted && _posted.TryDequeue(out var next); i++)
                {
                    next.Callback(next.State);
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }

            Assert.True(task.IsCompleted, "the sender did not finish on the continuations it posted");
        }
    }

    /// <summary>Answers each call with the next scripted outcome (the last one repeats).</summary>
    private sealed class ScriptedGrain(params Func<Task<ConfirmationVerdict>>[] outcomes) : IPartnerGrain
    {
        public int Calls { get; private set; }

        public Task<ConfirmationVerdict> ConfirmAsync(TokenConfirmation confirmation) => outcomes[Math.Min(Calls++, outcomes.Length - 1)]();

        public async Task<ConfirmationVerdict[]> ConfirmBatchAsync(TokenConfirmation[] confirmations)
        {
            var verdict = await ConfirmAsync(confirmations[0]);
            return [.. confirmations.Select(_ => verdict)];
        }

        public Task<PartnerUpsertResult> UpsertAsync(PartnerUpdate update) => throw new NotSupportedException();

        public Task<PartnerDetails?> GetAsync() => throw new NotSupportedException();

        public Task<KeyChangeResult> AddKeyAsync(PartnerKey key, string actor) => throw new NotSupportedException();

        public Task<KeyChangeResult> RevokeKeyAsync(string kid, string actor) => throw new NotSupportedException();

        public Task<PartnerKeySet> GetKeySetAsync() => throw new NotSupportedException();
    }
}
