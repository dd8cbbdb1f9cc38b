using System.Numerics;

namespace JustGold.LoadTest;

/// <summary>
/// Log-linear histogram of latencies in microseconds: exact below 1024 µs, then 512 buckets per
/// power of two (relative error under 0.2%). Not thread-safe: one per worker, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 1024;
    private const int PerOctave = 512;
    private readonly long[] counts = new long[Linear + (40 * PerOctave)];

    public long Count { get; private set; }

    public long MaxMicros { get; private set; }

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(0, (long)latency.TotalMicroseconds);
        counts[Index(micros)]++;
        Count++;
        MaxMicros = Math.Max(MaxMicros, micros);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += other.Count;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// <summary>The latency in milliseconds at or below which <paramref name="percentile"/> % of requests fell.</summary>
    public double PercentileMillis(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperMicros(i), MaxMicros) / 1000.0;
            }
        }

        return MaxMicros / 1000.0;
    }

    private static int Index(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - 9;
        var index = Linear + ((shift - 1) * PerOctave) + (int)(micros >> shift) - PerOctave;
        return Math.Min(index, Linear + (40 * PerOctave) - 1);
    }

    private static long UpperMicros(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var k = index - Linear;
        var shift = (k / PerOctave) + 1;
        return (((long)(k % PerOctave) + PerOctave + 1) << shift) - 1;
    }
}
