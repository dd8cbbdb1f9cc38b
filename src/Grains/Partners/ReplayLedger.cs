namespace JustGold.Grains.Partners;

/// <summary>
/// The jti values one partner has used, each until it may be forgotten. A jti is held as the
/// first 8 bytes of its <see cref="JtiDigest"/> in a hash set, and once more in the list of its
/// 16-second expiry bucket: about 41 bytes a record (measured with a million, see the
/// benchmarks' memory mode). A collision can only refuse a token, never accept one; storage
/// keeps all 16 bytes of the digest and has the last word. Forgetting walks the buckets that are due, in order,
/// so its work is proportional to what expires, not to what is held.
/// </summary>
internal sealed class ReplayLedger
{
    private const int BucketSeconds = 16;

    private readonly HashSet<ulong> _held = [];
    private readonly Dictionary<long, List<ulong>> _buckets = [];
    private readonly PriorityQueue<long, long> _dueOrder = new();

    // Digests taken back by Remove whose bucket entry is still listed: when that stale entry
    // comes due it must not forget a later, live addition of the same jti.
    private readonly Dictionary<ulong, int> _stale = [];

    public int Count => _held.Count;

    /// <summary>True when <paramref name="jti"/> is held.</summary>
    public bool Contains(string jti) => _held.Contains(Short(JtiDigest.Of(jti)));

    /// <summary>Adds <paramref name="jti"/> unless held; false when it was already there.</summary>
    public bool TryAdd(string jti, long forgetAtUnixSeconds) => TryAdd(JtiDigest.Of(jti), forgetAtUnixSeconds);

    /// <summary>Adds a jti by its digest unless held; false when it was already there.</summary>
    public bool TryAdd(JtiDigest jti, long forgetAtUnixSeconds)
    {
        var digest = Short(jti);
        if (!_held.Add(digest))
        {
            return false;
        }

        // Rounded up: a jti may be kept up to one bucket longer than needed, never shorter.
        var bucket = (forgetAtUnixSeconds + BucketSeconds - 1) / BucketSeconds;
        if (!_buckets.TryGetValue(bucket, out var members))
        {
            members = [];
            _buckets.Add(bucket, members);
            _dueOrder.Enqueue(bucket, bucket);
        }

        members.Add(digest);
        return true;
    }

    /// <summary>Takes back a jti whose record could not be made durable.</summary>
    public void Remove(JtiDigest jti)
    {
        var digest = Short(jti);
        if (_held.Remove(digest))
        {
            _stale[digest] = _stale.GetValueOrDefault(digest) + 1;
        }
    }

    /// <summary>Forgets every jti whose time has come; returns how many.</summary>
    public int Prune(long nowUnixSeconds)
    {
        var forgotten = 0;
        while (_dueOrder.TryPeek(out var bucket, out _) && bucket * BucketSeconds <= nowUnixSeconds)
        {
            _dueOrder.Dequeue();
            foreach (var digest in _buckets[bucket])
            {
                if (_stale.Count > 0 && _stale.TryGetValue(digest, out var stale))
                {
                    // Safe either way round: skipping keeps a jti longer, never shorter.
                    if (stale == 1)
                    {
                        _stale.Remove(digest);
                    }
                    else
                    {
                        _stale[digest] = stale - 1;
                    }

                    continue;
                }

                if (_held.Remove(digest))
                {
                    forgotten++;
                }
            }

            _buckets.Remove(bucket);
        }

        return forgotten;
    }

    private static ulong Short(JtiDigest jti) => jti.High;
}
