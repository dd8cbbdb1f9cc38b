using JustGold.Grains.Partners;

namespace JustGold.Grains.Storage;

/// <summary>A batch of replay records as the three arrays <see cref="PostgresReplayStore"/>'s statements take.</summary>
internal sealed class PostgresReplayColumns(int capacity)
{
    public List<long> Partners { get; } = new(capacity);

    public List<Guid> Digests { get; } = new(capacity);

    public List<long> ForgetAts { get; } = new(capacity);

    public int Count => Partners.Count;

    public void Add(long partner, JtiDigest jti, long forgetAt) => Add(partner, jti.ToGuid(), forgetAt);

    /// <summary>The records whose (partner, digest) is not in <paramref name="taken"/>.</summary>
    public PostgresReplayColumns Except(HashSet<(long, JtiDigest)> taken) => Where(key => !taken.Contains(key));

    public PostgresReplayColumns Where(Func<(long, JtiDigest), bool> keep)
    {
        var kept = new PostgresReplayColumns(0);
        for (var i = 0; i < Count; i++)
        {
            if (keep((Partners[i], JtiDigest.FromGuid(Digests[i]))))
            {
                kept.Add(Partners[i], Digests[i], ForgetAts[i]);
            }
        }

        return kept;
    }

    private void Add(long partner, Guid digest, long forgetAt)
    {
        Partners.Add(partner);
        Digests.Add(digest);
        ForgetAts.Add(forgetAt);
    }
}
