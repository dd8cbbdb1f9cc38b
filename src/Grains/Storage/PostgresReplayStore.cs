using JustGold.Grains.Partners;
using Npgsql;
using NpgsqlTypes;

namespace JustGold.Grains.Storage;

/// <summary>
/// <see cref="IReplayStore"/> on PostgreSQL, shared by every silo of a cluster. Rows are fixed size
/// (partner key bigint, jti digest uuid, forget-at bigint: 56 bytes of heap tuple) in
/// <c>jg_replay_jti</c>, range-partitioned by forget-at (<see cref="PostgresReplayPartitions"/>):
/// expiry drops whole partitions instead of deleting rows.
/// <para>
/// Each partition's primary key (partner, digest) is the last word when two activations of one
/// grain (a failover) both let a token through: a token always carries the same <c>exp</c>, so
/// both copies have the same forget-at, land in the same partition, and only one insert wins. A
/// different token reusing a live jti with another <c>exp</c> can only come from the holder of the
/// partner's private key; the grain's ledger refuses it in normal operation, and the key only
/// fails to when it lands in another partition during a failover (docs/capacity.md).
/// </para>
/// </summary>
internal sealed class PostgresReplayStore : IReplayStore
{
    /// <summary>Idempotent DDL, run with the rest of the schema; partitions are made at run time.</summary>
    public const string Schema =
        """
        CREATE TABLE IF NOT EXISTS jg_replay_jti (
            partner_key BIGINT NOT NULL,
            jti         UUID   NOT NULL,
            forget_at   BIGINT NOT NULL
        ) PARTITION BY RANGE (forget_at);
        """;

    // Fixed texts, prepared once per pooled connection: arrays instead of N rows of parameters, so
    // PostgreSQL parses and plans one statement shape whatever the batch size. Forget-at stays bigint:
    // int4 would save nothing, the tuple is padded to 56 bytes either way (8 + 16 + 4 = 28 after the
    // 24-byte header is 52, aligned to 8), and it would end in 2038.
    private const string AppendSql =
        "INSERT INTO jg_replay_jti (partner_key, jti, forget_at) SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::bigint[])"
        + " ON CONFLICT DO NOTHING RETURNING partner_key, jti";

    // Rare: a conflicting row that has expired but whose partition has not yet passed (a jti reused
    // after its token expired, within one span). It is forgotten, so it makes way.
    private const string TakeOverSql =
        "DELETE FROM jg_replay_jti d USING unnest($1::bigint[], $2::uuid[]) AS r (partner_key, jti)"
        + " WHERE d.partner_key = r.partner_key AND d.jti = r.jti AND d.forget_at <= $3";

    // Partitions that have passed are pruned at executor start-up, so expired spans are never read;
    // only the current span's expired rows of this partner pass the filter and are dropped.
    internal const string LoadSql = "SELECT jti, forget_at FROM jg_replay_jti WHERE partner_key = $1 AND forget_at > $2";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresReplayPartitions _partitions;
    private readonly Lock _readyLock = new();
    private Task? _ready;

    /// <param name="segmentSeconds">Span of forget-at times per partition (<see cref="StorageOptions.ReplaySegmentSeconds"/>).</param>
    /// <param name="horizonSeconds">How far ahead of now a token's forget-at can be (lifetime + twice the skew): partitions exist that far ahead.</param>
    public PostgresReplayStore(NpgsqlDataSource dataSource, int segmentSeconds = 60, int horizonSeconds = 3720)
    {
        _dataSource = dataSource;
        _partitions = new PostgresReplayPartitions(dataSource, segmentSeconds, horizonSeconds);
    }

    public async Task<IReadOnlyList<ReplayRecord>> LoadAsync(string partnerId, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        await ReadyAsync(nowUnixSeconds, cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(LoadSql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ReplayPartnerKey.Of(partnerId) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUnixSeconds });
        await command.PrepareAsync(cancellationToken);
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
        await ReadyAsync(nowUnixSeconds, cancellationToken);

        // A second copy of one jti in the same batch is the replay it looks like; and PostgreSQL
        // refuses a statement that would touch one row twice, so only first copies are sent.
        var keys = new long[records.Count];
        var firstCopies = new HashSet<(long, JtiDigest)>(records.Count);
        var batch = new PostgresReplayColumns(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            keys[i] = ReplayPartnerKey.Of(records[i].PartnerId);
            if (firstCopies.Add((keys[i], records[i].Jti)))
            {
                batch.Add(keys[i], records[i].Jti, records[i].ForgetAtUnixSeconds);
            }
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = new HashSet<(long, JtiDigest)>(batch.Count);
        await InsertAsync(connection, batch, nowUnixSeconds, inserted, cancellationToken);
        if (inserted.Count < batch.Count && await TakeOverExpiredAsync(connection, batch.Except(inserted), nowUnixSeconds, cancellationToken) is { Count: > 0 } retry)
        {
            await InsertAsync(connection, retry, nowUnixSeconds, inserted, cancellationToken);
        }

        var results = new bool[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            // Remove, so only the first copy of a jti in the batch is reported as new.
            results[i] = inserted.Remove((keys[i], records[i].Jti));
        }

        return results;
    }

    /// <summary>Drops the partitions that have passed and creates those ahead; returns how many were dropped.</summary>
    public Task<int> ForgetExpiredAsync(long nowUnixSeconds, CancellationToken cancellationToken) =>
        _partitions.MaintainAsync(nowUnixSeconds, null, drop: true, cancellationToken);

    private async Task InsertAsync(NpgsqlConnection connection, PostgresReplayColumns batch, long nowUnixSeconds, HashSet<(long, JtiDigest)> inserted, CancellationToken cancellationToken)
    {
        try
        {
            await InsertOnceAsync(connection, batch, inserted, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // A forget-at past the partitions made ahead (or a span the janitor has not reached yet):
            // make it now, then once more. The insert was refused whole, so nothing is half done.
            // The SQLSTATE alone says so: the table has no CHECK constraints, and the message text
            // follows the server's lc_messages, so it is not matched.
            await _partitions.MaintainAsync(nowUnixSeconds, (batch.ForgetAts.Min(), batch.ForgetAts.Max()), drop: false, cancellationToken);
            await InsertOnceAsync(connection, batch, inserted, cancellationToken);
        }
    }

    private static async Task InsertOnceAsync(NpgsqlConnection connection, PostgresReplayColumns batch, HashSet<(long, JtiDigest)> inserted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AppendSql, connection);
        command.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = batch.Partners, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<List<Guid>> { TypedValue = batch.Digests, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = batch.ForgetAts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add((reader.GetInt64(0), JtiDigest.FromGuid(reader.GetGuid(1))));
        }
    }

    /// <summary>Deletes the expired rows in the way of <paramref name="refused"/>; returns the records that may be tried again.</summary>
    private static async Task<PostgresReplayColumns> TakeOverExpiredAsync(NpgsqlConnection connection, PostgresReplayColumns refused, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TakeOverSql + " RETURNING d.partner_key, d.jti", connection);
        command.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = refused.Partners, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<List<Guid>> { TypedValue = refused.Digests, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUnixSeconds });
        var gone = new HashSet<(long, JtiDigest)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                gone.Add((reader.GetInt64(0), JtiDigest.FromGuid(reader.GetGuid(1))));
            }
        }

        return refused.Where(gone.Contains);
    }

    /// <summary>Migration and the partitions from now on, once per process before the first load or write.</summary>
    private Task ReadyAsync(long nowUnixSeconds, CancellationToken cancellationToken)
    {
        lock (_readyLock)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = _partitions.MaintainAsync(nowUnixSeconds, null, drop: false, cancellationToken);
            }

            return _ready;
        }
    }
}
