using System.Security.Cryptography;
using System.Text;

namespace JustGold.Grains.Partners;

/// <summary>
/// The jti values one partner has used, each until it may be forgotten. Held as a 64-bit
/// digest (SHA-256, truncated) and a 32-bit forget-at second, about 30 bytes a record; a
/// digest collision can only refuse a token, never accept one, and storage holds the exact
/// jti behind it. Forgetting walks time buckets in order, so its work is proportional to
/// what expires, not to what is held.
/// </summary>
public sealed class ReplayLedger
{
    // Forget-at times are kept relative to this, in seconds, to fit in 32 bits until 2156.
    private const long Epoch = 1_700_000_000;
    private const int BucketSeconds = 16;

    private readonly Dictionary<ulong, uint> _forgetAt = [];
    private readonly Dictionary<long, List<ulong>> _buckets = [];
    private readonly PriorityQueue<long, long> _bucketOrder = new();

    public int Count => _forgetAt.Count;

    /// <summary>True when <paramref name="jti"/> is held.</summary>
    public bool Contains(string jti) => _forgetAt.ContainsKey(Digest(jti));

    /// <summary>Adds <paramref name="jti"/> unless held; false when it was already there.</summary>
    public bool TryAdd(string jti, long forgetAtUnixSeconds)
    {
        var digest = Digest(jti);
        var forgetAt = (uint)Math.Clamp(forgetAtUnixSeconds - Epoch, 0, uint.MaxValue);
        if (!_forgetAt.TryAdd(digest, forgetAt))
        {
            return false;
        }

        var bucket = (forgetAt + BucketSeconds - 1) / BucketSeconds;
        if (!_buckets.TryGetValue(bucket, out var members))
        {
            members = [];
            _buckets.Add(bucket, members);
            _bucketOrder.Enqueue(bucket, bucket);
        }

        members.Add(digest);
        return true;
    }

    /// <summary>Takes back a jti whose record could not be made durable.</summary>
    public void Remove(string jti) => _forgetAt.Remove(Digest(jti));

    /// <summary>Forgets every jti whose time has come; returns how many.</summary>
    public int Prune(long nowUnixSeconds)
    {
        var now = nowUnixSeconds - Epoch;
        var forgotten = 0;
        while (_bucketOrder.TryPeek(out var bucket, out _) && bucket * BucketSeconds <= now)
        {
            _bucketOrder.Dequeue();
            foreach (var digest in _buckets[bucket])
            {
                // The same jti may have been removed and added again later; keep the newer one.
                if (_forgetAt.TryGetValue(digest, out var forgetAt) && forgetAt <= now)
                {
                    _forgetAt.Remove(digest);
                    forgotten++;
                }
            }

            _buckets.Remove(bucket);
        }

        return forgotten;
    }

    private static ulong Digest(string jti)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(jti.Length);
        var buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(jti, buffer);
        SHA256.HashData(buffer[..length], hash);
        return BitConverter.ToUInt64(hash);
    }
}
