using System.Collections.Concurrent;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Authentication;

/// <summary>
/// Sends a partner's confirmations to its grain with at most one call in flight per partner:
/// what arrives while a call is out goes together in the next one. Under load this turns
/// many grain calls into few (a hot partner's confirmations ride in large batches), and when
/// idle it adds nothing: a lone confirmation leaves at once. Only partners whose tokens
/// passed every check get here, so unknown issuers never grow it.
/// </summary>
internal sealed class ConfirmationBatcher(IGrainFactory grains, ConfirmationSender sender)
{
    private readonly ConcurrentDictionary<string, PartnerQueue> _queues = new(StringComparer.Ordinal);

    public Task<ConfirmationVerdict> ConfirmAsync(string partnerId, TokenConfirmation confirmation)
    {
        // The queue keeps the grain reference: resolving one per request costs reflection.
        var queue = _queues.GetOrAdd(partnerId, static (id, factory) => new PartnerQueue(id, factory.GetGrain<IPartnerGrain>(id)), grains);
        var completion = new TaskCompletionSource<ConfirmationVerdict>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (queue)
        {
            queue.Waiting.Add(new Waiter(confirmation, completion));
            start = !queue.InFlight;
            queue.InFlight = true;
        }

        if (start)
        {
            _ = PumpAsync(queue, sender);
        }

        return completion.Task;
    }

    private static async Task PumpAsync(PartnerQueue queue, ConfirmationSender sender)
    {
        var grain = queue.Grain;
        while (true)
        {
            List<Waiter> batch;
            lock (queue)
            {
                if (queue.Waiting.Count == 0)
                {
                    queue.InFlight = false;
                    return;
                }

                // Two lists take turns (only this pump swaps them), so a batch costs no new list.
                batch = queue.Waiting;
                queue.Waiting = queue.Spare;
                queue.Spare = batch;
            }

            try
            {
                var verdicts = await sender.SendAsync(queue.PartnerId, grain, Confirmations(batch));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(verdicts[i]);
                }
            }
            catch (Exception ex)
            {
                // The cluster could not decide: every waiter fails closed.
                foreach (var waiter in batch)
                {
                    waiter.Completion.TrySetException(ex);
                }
            }

            batch.Clear();
        }
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

        public List<Waiter> Waiting { get; set; } = [];

        /// <summary>The list the last batch went out in, emptied, for the next swap.</summary>
        public List<Waiter> Spare { get; set; } = [];

        public bool InFlight { get; set; }
    }

    /// <summary>A struct: it lives in the queue's list, not on the heap.</summary>
    private readonly record struct Waiter(TokenConfirmation Confirmation, TaskCompletionSource<ConfirmationVerdict> Completion);
}
