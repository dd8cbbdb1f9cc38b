using System.Diagnostics;
using System.Globalization;
using JustGold.Grains.Partners;
using JustGold.Grains.Storage;
using JustGold.Grains.Storage.Journal;
using Npgsql;

namespace JustGold.Benchmarks;

/// <summary>
/// The <c>storage</c> mode: replay records per second through the product's own
/// <see cref="IReplayStore.AppendAsync"/> (what ReplayRecordWriter calls per group commit), one writer as
/// on a silo, at several batch sizes. The embedded journal in a temporary folder; PostgreSQL too when
/// JUSTGOLD_BENCH_PG holds an Npgsql connection string to a scratch database. Ends with the bytes on
/// disk per live record.
/// </summary>
public static class ReplayStorageRate
{
    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var directory = Directory.CreateTempSubdirectory("justgold-storage-bench-");
        try
        {
            // The journal also keeps what its files hold in memory, by partner (for grain activation).
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            using (var journal = new JournalReplayStore(directory.FullName, 60, TimeProvider.System))
            {
                await MeasureAsync("Journal (fdatasync per group commit)", journal, seconds);
                var (files, bytes, records) = journal.Size();
                var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
                Console.WriteLine($"Journal on disk: {records:N0} live records in {files} files, {bytes:N0} bytes, {(double)bytes / records:F1} bytes per record");
                Console.WriteLine($"Journal in memory: {heap:N0} bytes, {(double)heap / records:F1} bytes per record (GC.GetTotalMemory(true) before/after)");
                Console.WriteLine($"RESULT storage=Journal bytes_per_record={(double)bytes / records:F1} memory_bytes_per_record={(double)heap / records:F1}");
            }

            if (Environment.GetEnvironmentVariable("JUSTGOLD_BENCH_PG") is { Length: > 0 } pg)
            {
                await using var postgres = NpgsqlDataSource.Create(pg);
                await new SqlPartnerStore(postgres, SqlDialect.Postgres).EnsureSchemaAsync(CancellationToken.None);
                await MeasureAsync("PostgreSQL", new PostgresReplayStore(postgres), seconds);
                await using var size = postgres.CreateCommand(
                    "SELECT (SELECT sum(pg_total_relation_size(oid))::bigint FROM pg_class WHERE relname LIKE 'jg\\_replay\\_jti%' AND relkind = 'r'), (SELECT count(*) FROM jg_replay_jti)");
                await using var reader = await size.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (bytes, rows) = (reader.GetInt64(0), reader.GetInt64(1));
                Console.WriteLine($"PostgreSQL on disk: {rows:N0} rows, {bytes:N0} bytes (all partitions, heap + indexes), {(double)bytes / rows:F1} bytes per row");
                Console.WriteLine($"RESULT storage=PostgreSQL bytes_per_record={(double)bytes / rows:F1}");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        return 0;
    }

    private static async Task MeasureAsync(string name, IReplayStore store, double seconds)
    {
        Console.WriteLine($"{name}: one writer, {seconds:F0} s per batch size, through IReplayStore.AppendAsync");
        Console.WriteLine("| records per commit | commits/s | records/s | mean commit ms | writer CPU µs per record |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var batch in new[] { 1, 16, 64, 256, 512 })
        {
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var commits = 0;
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                var records = new ReplayRecord[batch];
                for (var i = 0; i < batch; i++)
                {
                    records[i] = new ReplayRecord("load-rsa-" + (i % 100).ToString(CultureInfo.InvariantCulture), JtiDigest.Of(Guid.NewGuid().ToString()), now + 3600);
                }

                var inserted = await store.AppendAsync(records, now, CancellationToken.None);
                if (!inserted.All(x => x))
                {
                    throw new InvalidOperationException("A fresh replay record was reported as a replay.");
                }

                commits++;
            }

            var elapsed = watch.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds;
            Console.WriteLine($"| {batch} | {commits / elapsed:F0} | {commits * batch / elapsed:F0} | {elapsed * 1000 / commits:F2} | {cpu / (commits * batch):F1} |");
            Console.WriteLine($"RESULT storage={name.Split(' ')[0]} batch={batch} commits_per_s={commits / elapsed:F0} records_per_s={commits * batch / elapsed:F0}");
        }

        Console.WriteLine();
    }
}
