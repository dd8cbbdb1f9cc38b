using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using JustGold.Grains.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JustGold.Benchmarks;

/// <summary>
/// The <c>storage</c> mode: replay records per second through the product's own
/// <see cref="SqlPartnerStore.AppendReplayRecordsAsync"/> (the statement ReplayRecordWriter sends per group
/// commit), one writer as on a silo, at several batch sizes. SQLite as the embedded default configures it
/// (WAL, synchronous FULL) in a temporary folder; PostgreSQL too when JUSTGOLD_BENCH_PG holds an Npgsql
/// connection string to a scratch database.
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
            var sqlite = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(directory.FullName, "partner-auth.db"),
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
            }.ToString());
            await MeasureAsync("SQLite (WAL, synchronous FULL)", new SqlPartnerStore(sqlite, SqlDialect.Sqlite), seconds);
            if (Environment.GetEnvironmentVariable("JUSTGOLD_BENCH_PG") is { Length: > 0 } pg)
            {
                await using var postgres = NpgsqlDataSource.Create(pg);
                await MeasureAsync("PostgreSQL", new SqlPartnerStore(postgres, SqlDialect.Postgres), seconds);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }

        return 0;
    }

    private static async Task MeasureAsync(string name, SqlPartnerStore store, double seconds)
    {
        await store.EnsureSchemaAsync(CancellationToken.None);
        Console.WriteLine($"{name}: one writer, {seconds:F0} s per batch size, through SqlPartnerStore.AppendReplayRecordsAsync");
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
                    records[i] = new ReplayRecord("load-rsa-" + (i % 100).ToString(CultureInfo.InvariantCulture), Guid.NewGuid().ToString(), now + 3600);
                }

                var inserted = await store.AppendReplayRecordsAsync(records, now, CancellationToken.None);
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
