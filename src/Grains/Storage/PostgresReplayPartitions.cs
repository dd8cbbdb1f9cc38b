using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace JustGold.Grains.Storage;

/// <summary>
/// The partitions of <c>jg_replay_jti</c>: one table per span of forget-at times
/// (<see cref="StorageOptions.ReplaySegmentSeconds"/>), created ahead of need and dropped whole once
/// its span has passed, so expiry never deletes rows (no dead tuples, no vacuum, no index
/// maintenance for deletions). Every change runs in one transaction under an advisory lock, so silos
/// doing this side by side wait for each other instead of racing in the catalog.
/// </summary>
internal sealed partial class PostgresReplayPartitions(NpgsqlDataSource dataSource, int segmentSeconds, int horizonSeconds)
{
    public const string Parent = "jg_replay_jti";

    /// <summary>The table of builds before time partitions; its live rows are moved over once.</summary>
    public const string Legacy = "jg_replay_digests";

    private const long LockKey = 7300412021;

    // How many spans past the horizon are created ahead, so an insert never waits for DDL even
    // when the janitor's minute and a span's start do not line up.
    private const int SpansAhead = 2;

    public int SegmentSeconds => segmentSeconds;

    /// <summary>
    /// Drops every partition whose span ended at or before <paramref name="nowUnixSeconds"/>, moves a
    /// legacy table's live rows over, and creates the partitions from now to the horizon (plus
    /// <paramref name="alsoCover"/>, forget-at times a batch needs). Returns how many were dropped.
    /// </summary>
    public async Task<int> MaintainAsync(long nowUnixSeconds, (long From, long To)? alsoCover, bool drop, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // DDL on a partition takes a lock on the parent that inserts queue behind: never wait long
        // for it (a long Load holding the parent), give up and try again on the next round instead.
        await ExecuteAsync(connection, $"SET LOCAL lock_timeout = '1s'; SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        var existing = await ListAsync(connection, cancellationToken);

        var dropped = 0;
        if (drop)
        {
            foreach (var passed in existing.Where(p => p.To <= nowUnixSeconds).ToList())
            {
                // Every row in it has forget_at < its end <= now: all forgotten, so the table goes whole.
                await ExecuteAsync(connection, $"DROP TABLE \"{passed.Name}\"", cancellationToken);
                existing.Remove(passed);
                dropped++;
            }
        }

        var needed = new List<(long From, long To)> { (nowUnixSeconds + 1, nowUnixSeconds + horizonSeconds + SpansAhead * (long)segmentSeconds) };
        if (alsoCover is { } extra)
        {
            needed.Add(extra);
        }

        var legacyExists = await LegacyExistsAsync(connection, cancellationToken);
        if (legacyExists && await LegacyRangeAsync(connection, nowUnixSeconds, cancellationToken) is { } legacy)
        {
            needed.Add(legacy);
        }

        foreach (var gap in Gaps(needed, [.. existing.Select(p => (p.From, p.To))]))
        {
            // Its own primary key, not one on the parent: PostgreSQL requires a parent's unique index
            // to include the partition key, so (partner, jti) per partition is the smaller index (see
            // docs/capacity.md). Insert-only and dropped within about an hour, so no autovacuum.
            await ExecuteAsync(
                connection,
                $"CREATE TABLE IF NOT EXISTS {Name(gap.From, gap.To)} PARTITION OF {Parent} (PRIMARY KEY (partner_key, jti))"
                + $" FOR VALUES FROM ({gap.From}) TO ({gap.To}) WITH (autovacuum_enabled = off)",
                cancellationToken);
        }

        if (legacyExists)
        {
            // Builds before time partitions kept one table with a janitor DELETE; its live rows move
            // over in this same transaction, so no load sees neither. A silo still running the old
            // build then fails closed (its table is gone) instead of accepting beside this one.
            await ExecuteAsync(
                connection,
                $"INSERT INTO {Parent} (partner_key, jti, forget_at) SELECT partner_key, jti, forget_at FROM {Legacy} WHERE forget_at > {nowUnixSeconds}"
                + $" ON CONFLICT DO NOTHING; DROP TABLE {Legacy}",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return dropped;
    }

    /// <summary>The spans of the current partitions, from their bounds in the catalog.</summary>
    public static async Task<List<(string Name, long From, long To)>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '{Parent}'::regclass",
            connection);
        var spans = new List<(string, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // "FOR VALUES FROM ('1800000000') TO ('1800000060')"; anything else (a DEFAULT partition
            // an operator added) is not ours to manage.
            if (Bounds().Match(reader.GetString(1)) is { Success: true } match)
            {
                spans.Add((reader.GetString(0), long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)));
            }
        }

        return spans;
    }

    /// <summary>
    /// The parts of the segment-aligned spans covering <paramref name="needed"/> that no existing
    /// partition covers. Clipped to what exists, so a partition made with another span length (or
    /// the one-off partition of a migration) never makes a creation fail for overlapping.
    /// </summary>
    internal List<(long From, long To)> Gaps(IEnumerable<(long From, long To)> needed, List<(long From, long To)> existing)
    {
        var gaps = new List<(long, long)>();
        var taken = existing.OrderBy(p => p.From).ToList();
        foreach (var start in needed.SelectMany(Spans).Distinct().Order())
        {
            var from = start;
            var to = start + segmentSeconds;
            foreach (var p in taken.Where(p => p.To > from && p.From < to))
            {
                if (p.From > from)
                {
                    gaps.Add((from, p.From));
                }

                from = Math.Max(from, p.To);
            }

            if (from < to)
            {
                gaps.Add((from, to));
                taken.Add((from, to));
                taken.Sort();
            }
        }

        return gaps;
    }

    private IEnumerable<long> Spans((long From, long To) range)
    {
        for (var start = Floor(range.From); start <= range.To; start += segmentSeconds)
        {
            yield return start;
        }
    }

    private long Floor(long value) => value - (((value % segmentSeconds) + segmentSeconds) % segmentSeconds);

    private static string Name(long from, long to) => FormattableString.Invariant($"{Parent}_{from}_{to}");

    private static async Task<(long, long)?> LegacyRangeAsync(NpgsqlConnection connection, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT min(forget_at), max(forget_at) FROM {Legacy} WHERE forget_at > {nowUnixSeconds}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? null : (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<bool> LegacyExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{Legacy}') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^FOR VALUES FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)$")]
    private static partial Regex Bounds();
}
