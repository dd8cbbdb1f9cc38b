using System.Diagnostics;
using System.Globalization;
using JustGold.Grains.Partners;
using JustGold.Grains.Storage;
using Npgsql;

namespace JustGold.Benchmarks;

/// <summary>
/// The <c>pgcost</c> mode: what one accepted token costs the cluster's replay path, through the
/// product's own <see cref="PostgresReplayStore"/> (what a silo's ReplayRecordWriter calls): PostgreSQL
/// CPU per record (utime + stime of the postmaster and its children from /proc, reaped children
/// included), the writer's own CPU per record, bytes on disk per live jti, and the CPU of expiring
/// them (the store's own expiry plus the VACUUM that reclaims deleted rows, autovacuum's job).
/// Needs JUSTGOLD_BENCH_PG (an Npgsql connection string to a scratch database) and
/// JUSTGOLD_BENCH_PG_PID (the postmaster's PID); scripts/pg-replay-rate.sh sets both. Uses only
/// IReplayStore, so the same file measures older builds (the script's --compare).
/// </summary>
public static class PostgresReplayCost
{
    private const int Partners = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var fill = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var label = args.Length > 2 ? args[2] : "this build";
        var postmaster = int.Parse(Environment.GetEnvironmentVariable("JUSTGOLD_BENCH_PG_PID")!, CultureInfo.InvariantCulture);
        await using var postgres = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("JUSTGOLD_BENCH_PG")!);
        await new SqlPartnerStore(postgres, SqlDialect.Postgres).EnsureSchemaAsync(CancellationToken.None);
        var store = new PostgresReplayStore(postgres);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var written = 0L;

        // 1. The live window filled in realistic group commits: 64 records, 100 partners, token
        // lifetimes of 5, 15 and 60 minutes (so a batch spans a few forget-at times), skew 60 s.
        var (pg, client, _) = await MeasureAsync(postmaster, async () => { await WriteAsync(store, now, fill, 64); return fill; });
        written += fill;
        var bytes = await ScalarAsync(postgres, "SELECT sum(pg_total_relation_size(oid))::bigint FROM pg_class WHERE relname LIKE 'jg\\_replay%' AND relkind = 'r'");
        Console.WriteLine($"{label}: {fill:N0} live records written in batches of 64: {bytes:N0} bytes on disk (heap + indexes, all partitions) = {(double)bytes / fill:F1} bytes per live jti");
        Console.WriteLine($"| {label}, phase | records | PostgreSQL CPU µs per record | writer CPU µs per record | records/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row(label, "fill, 64 per commit", fill, pg, client, 0);

        // 2. Steady writing at two batch sizes, on top of the filled window.
        foreach (var batch in new[] { 1, 16, 256 })
        {
            var watch = Stopwatch.StartNew();
            var (p, c, n) = await MeasureAsync(postmaster, async () =>
            {
                var count = 0;
                while (watch.Elapsed.TotalSeconds < seconds)
                {
                    await WriteAsync(store, now, batch * 8, batch);
                    count += batch * 8;
                }

                return count;
            });
            written += n;
            Row(label, $"{batch} per commit", n, p, c, n / watch.Elapsed.TotalSeconds);
        }

        // 3. Expiry of everything written, as the janitor does once the window has passed, plus the
        // VACUUM that deleted rows need before their space is reused.
        var (ep, ec, _) = await MeasureAsync(postmaster, async () =>
        {
            await store.ForgetExpiredAsync(now + 7200, CancellationToken.None);
            await ScalarAsync(postgres, "VACUUM");
            return 0;
        });
        Row(label, "expiry (janitor + VACUUM)", written, ep, ec, 0);
        Console.WriteLine($"RESULT pgcost build=\"{label}\" bytes_per_jti={(double)bytes / fill:F1} fill_pg_us={pg / fill:F2} expiry_pg_us={ep / written:F2}");
        return 0;
    }

    private static async Task WriteAsync(IReplayStore store, long now, int count, int batch)
    {
        int[] lifetimes = [300, 900, 3600];
        for (var done = 0; done < count; done += batch)
        {
            var records = new ReplayRecord[batch];
            for (var i = 0; i < batch; i++)
            {
                var partner = Random.Shared.Next(Partners);
                records[i] = new ReplayRecord("load-rsa-" + partner.ToString(CultureInfo.InvariantCulture), JtiDigest.Of(Guid.NewGuid().ToString()), now + lifetimes[partner % 3] + 60);
            }

            if (!(await store.AppendAsync(records, now, CancellationToken.None)).All(x => x))
            {
                throw new InvalidOperationException("A fresh replay record was reported as a replay.");
            }
        }
    }

    /// <summary>PostgreSQL CPU and this process's CPU (µs) spent in <paramref name="work"/>, and what it returned.</summary>
    private static async Task<(double Postgres, double Client, int Result)> MeasureAsync(int postmaster, Func<Task<int>> work)
    {
        var process = Process.GetCurrentProcess();
        var pgBefore = PostgresCpuMicroseconds(postmaster);
        var clientBefore = process.TotalProcessorTime;
        var result = await work();
        process.Refresh();
        return (PostgresCpuMicroseconds(postmaster) - pgBefore, (process.TotalProcessorTime - clientBefore).TotalMicroseconds, result);
    }

    private static void Row(string label, string phase, long records, double pg, double client, double rate) =>
        Console.WriteLine($"| {label}, {phase} | {records:N0} | {pg / records:F2} | {client / records:F2} | {(rate > 0 ? rate.ToString("F0", CultureInfo.InvariantCulture) : "")} |");

    /// <summary>utime + stime of the postmaster and its live children, plus what its reaped children used (cutime + cstime).</summary>
    private static double PostgresCpuMicroseconds(int postmaster)
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // Fields after the command name in parentheses: state ppid ... utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid == postmaster || ppid == postmaster)
            {
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                if (pid == postmaster)
                {
                    ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
            }
        }

        return ticks * 1_000_000.0 / 100; // USER_HZ
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource postgres, string sql)
    {
        await using var command = postgres.CreateCommand(sql);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
