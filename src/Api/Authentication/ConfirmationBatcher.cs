using System.Collections.Concurrent;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Authentication;

/// <summary>
/// Sends a partner's confirmations to its grain with at most one call in flight per partner:
/// what arrives while a call is out goes together in the next one. Under load this turns
/// many grain calls into few (a hot partner's confirmations ride in large batches), and when
/// idle it adds nothing: a lone confirmation leaves at once. Only partners whose tokens
/// passed every check get here, so unknown issuers never grow it.
/// <para>
/// Answers cost no extra thread hop: Orleans already resumes the pump on a thread-pool thread
/// (its response sources run continuations asynchronously), so the pump puts the next batch
/// on its way first and then finishes the last request of the answered batch on that same
/// thread. Any others in the batch are handed to the thread pool, so a hot partner's
/// requests still finish in parallel rather than one after the other behind the pump.
/// </para>
/// </summary>
internal sealed class ConfirmationBatcher(Func<string, IPartnerGrain> grainOf, ConfirmationSender sender)
{
    private readonly ConcurrentDictionary<string, PartnerQueue> _queues = new(StringComparer.Ordinal);

    public ConfirmationBatcher(IGrainFactory grains, ConfirmationSender sender)
        : this(id => grains.GetGrain<IPartnerGrain>(id), sender)
    {
    }

    public Task<ConfirmationVerdict> ConfirmAsync(string partnerId, TokenConfirmation confirmation)
    {
        // The queue keeps the grain reference: resolving one per request costs reflection.
        var queue = _queues.GetOrAdd(partnerId, static (id, grainOf) => new PartnerQueue(id, grainOf(id)), grainOf);

        // Continuations run where the pump completes them: see Answer for which thread that is.
        var completion = new TaskCompletionSource<ConfirmationVerdict>();
        List<Waiter>? batch = null;
        lock (queue)
        {
            queue.Waiting.Add(new Waiter(confirmation, completion));
            if (!queue.InFlight)
            {
                queue.InFlight = true;
                batch = queue.TakeWaiting();
            }
        }

        if (batch is not null)
        {
            _ = PumpAsync(queue, batch, sender);
        }

        return completion.Task;
    }

    private static async Task PumpAsync(PartnerQueue queue, List<Waiter> batch, ConfirmationSender sender)
    {
        var send = Send(queue, batch, sender);
        while (true)
        {
            ConfirmationVerdict[]? verdicts = null;
            Exception? failure = null;
            try
            {
                verdicts = await send;
            }
            catch (Exception ex)
            {
                // The cluster could not decide: every waiter of this batch fails closed.
                failure = ex;
            }

            // What gathered during the call leaves before this batch is answered: answering runs
            // the rest of a request (its HTTP response) on this thread.
            List<Waiter>? next;
            lock (queue)
            {
                next = queue.Waiting.Count > 0 ? queue.TakeWaiting() : null;
                queue.InFlight = next is not null;
            }

            if (next is not null)
            {
                send = Send(queue, next, sender);
            }

            Answer(batch, verdicts, failure);
            batch.Clear();
            lock (queue)
            {
                queue.Spare ??= batch;
            }

            if (next is null)
            {
                return;
            }

            batch = next;
        }
    }

    /// <summary>Starts the grain call; a throw before its first await becomes the batch's failure, not the pump's.</summary>
    private static Task<ConfirmationVerdict[]> Send(PartnerQueue queue, List<Waiter> batch, ConfirmationSender sender)
    {
        try
        {
            return sender.SendAsync(queue.PartnerId, queue.Grain, Confirmations(batch));
        }
        catch (Exception ex)
        {
            return Task.FromException<ConfirmationVerdict[]>(ex);
        }
    }

    /// <summary>
    /// Completes the batch's waiters: every one but the last through the thread pool, the last
    /// one inline on this thread, which would otherwise go idle right after.
    /// </summary>
    private static void Answer(List<Waiter> batch, ConfirmationVerdict[]? verdicts, Exception? failure)
    {
        var last = batch.Count - 1;
        for (var i = 0; i < last; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static answer => answer.Complete(),
                new Answered(batch[i].Completion, verdicts is null ? default : verdicts[i], failure),
                preferLocal: false);
        }

        new Answered(batch[last].Completion, verdicts is null ? default : verdicts[last], failure).Complete();
    }

    /// <summary>The grain call's argument; a loop, not LINQ, which would add an iterator and a closure per batch.</summary>
    private static TokenConfirmation[] Confirmations(List<Waiter> batch)
    {
        var confirmations = new TokenConfirmation[batch.Count];
        for (var i = 0; i < confirmations.Length; i++)
        {
            confirmations[i] = batch[i].Confirmation;
        }

        return confirmations;
    }

    private sealed class PartnerQueue(string partnerId, IPartnerGrain grain)
    {
        public string PartnerId { get; } = partnerId;

        public IPartnerGrain Grain { get; } = grain;

        public List<Waiter> Waiting { get; private set; } = [];

        /// <summary>
        /// An emptied list for the next swap, or null while the pump is still answering from it
        /// (a batch is answered after the next one has left, so up to three lists take turns).
        /// </summary>
        public List<Waiter>? Spare { get; set; } = [];

        public bool InFlight { get; set; }

        /// <summary>Under the queue's lock: hands out what is waiting and starts an empty list.</summary>
        public List<Waiter> TakeWaiting()
        {
            var taken = Waiting;
            Waiting = Spare ?? [];
            Spare = null;
            return taken;
        }
    }

    /// <summary>A struct: it lives in the queue's list, not on the heap.</summary>
    private readonly record struct Waiter(TokenConfirmation Confirmation, TaskCompletionSource<ConfirmationVerdict> Completion);

    /// <summary>One waiter's answer: a verdict, or the failure of the whole call.</summary>
    private readonly record struct Answered(TaskCompletionSource<ConfirmationVerdict> Completion, ConfirmationVerdict Verdict, Exception? Failure)
    {
        public void Complete()
        {
            if (Failure is null)
            {
                Completion.TrySetResult(Verdict);
            }
            else
            {
                Completion.TrySetException(Failure);
            }
        }
    }
}
