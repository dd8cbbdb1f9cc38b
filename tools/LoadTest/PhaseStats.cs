using System.Collections.Concurrent;

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
