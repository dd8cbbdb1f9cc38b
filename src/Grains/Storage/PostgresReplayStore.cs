using JustGold.Grains.Partners;
using Npgsql;
using NpgsqlTypes;

namespace JustGold.Grains.Storage;

/// <summary>
/// <see cref="IReplayStore"/> on PostgreSQL, shared by every silo of a cluster. A row is fixed
/// size: partner key (bigint), jti digest (uuid) and forget-at (bigint), 56 bytes of tuple.
/// The primary key (partner, digest) is the last word when two activations of one grain
/// (a failover) both let the same jti through: only one insert wins.
/// </summary>
internal sealed class PostgresReplayStore(NpgsqlDataSource dataSource) : IReplayStore
{
    /// <summary>Idempotent DDL, run with the rest of the schema.</summary>
    public const string Schema =
        """
        CREATE TABLE IF NOT EXISTS jg_replay_digests (
            partner_key BIGINT NOT NULL,
            jti         UUID   NOT NULL,
            forget_at   BIGINT NOT NULL,
            PRIMARY KEY (partner_key, jti)
        );
        CREATE INDEX IF NOT EXISTS jg_replay_digests_by_forget_at ON jg_replay_digests USING brin (forget_at);
        """;

    // One text for every batch size (arrays, not N rows of parameters), so it is prepared once.
    // A live conflicting row means the jti was accepted before; an expired one not yet deleted
    // is taken over. RETURNING names exactly the rows this statement wrote.
    private const string AppendSql =
        "INSERT INTO jg_replay_digests (partner_key, jti, forget_at) SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::bigint[])"
        + " ON CONFLICT (partner_key, jti) DO UPDATE SET forget_at = excluded.forget_at"
        + " WHERE jg_replay_digests.forget_at <= $4 RETURNING partner_key, jti";

    private const string LoadSql = "SELECT jti, forget_at FROM jg_replay_digests WHERE partner_key = $1 AND forget_at > $2";

    // The BRIN index on forget_at keeps this from reading the whole table: rows arrive roughly in
    // forget-at order.
    private const string ForgetSql = "DELETE FROM jg_replay_digests WHERE forget_at <= $1";

    public async Task<IReadOnlyList<ReplayRecord>> LoadAsync(string partnerId, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ReplayPartnerKey.Of(partnerId) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUnixSeconds });
        var records = new List<ReplayRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ReplayRecord(partnerId, JtiDigest.FromGuid(reader.GetGuid(0)), reader.GetInt64(1)));
        }

        return records;
    }

    public async Task<bool[]> AppendAsync(IReadOnlyList<ReplayRecord> records, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        // A second copy of one jti in the same batch is the replay it looks like; and PostgreSQL
        // refuses a statement that would touch one row twice, so only first copies are sent.
        var keys = new long[records.Count];
        var firstCopies = new HashSet<(long, JtiDigest)>(records.Count);
        var partners = new List<long>(records.Count);
        var digests = new List<Guid>(records.Count);
        var forgetAts = new List<long>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            keys[i] = ReplayPartnerKey.Of(records[i].PartnerId);
            if (firstCopies.Add((keys[i], records[i].Jti)))
            {
                partners.Add(keys[i]);
                digests.Add(records[i].Jti.ToGuid());
                forgetAts.Add(records[i].ForgetAtUnixSeconds);
            }
        }

        await using var command = dataSource.CreateCommand(AppendSql);
        command.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = partners, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<List<Guid>> { TypedValue = digests, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = forgetAts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUnixSeconds });
        var inserted = new HashSet<(long, JtiDigest)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetInt64(0), JtiDigest.FromGuid(reader.GetGuid(1))));
            }
        }

        var results = new bool[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            // Remove, so only the first copy of a jti in the batch is reported as new.
            results[i] = inserted.Remove((keys[i], records[i].Jti));
        }

        return results;
    }

    public async Task<int> ForgetExpiredAsync(long nowUnixSeconds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ForgetSql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUnixSeconds });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
