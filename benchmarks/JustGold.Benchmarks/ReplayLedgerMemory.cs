using System.Diagnostics;
using System.Globalization;
using JustGold.Grains.Partners;

namespace JustGold.Benchmarks;

/// <summary>
/// The <c>memory</c> mode: bytes per live jti in one <see cref="ReplayLedger"/> holding 1,000,000
/// random GUID jti values (GC.GetTotalMemory(true) before and after, ledger kept alive), and the time
/// to forget the ones that expire against how many are held.
/// </summary>
public static class ReplayLedgerMemory
{
    private const long Now = 1_800_000_000;

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;

        // Lifetimes spread over 100 buckets of 16 s (the ledger's bucket width), so 1% expires per bucket.
        var ledger = new ReplayLedger();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < count; i++)
        {
            ledger.TryAdd(Guid.NewGuid().ToString(), ForgetAt(i));
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perJti = (after - before) / (double)ledger.Count;
        Console.WriteLine($"ReplayLedger memory: {ledger.Count:N0} live jti values (random GUID strings), " +
            $"{(after - before) / 1048576.0:F1} MiB => {perJti:F1} bytes per live jti (GC.GetTotalMemory(true) before/after)");
        Console.WriteLine($"RESULT bytes_per_jti={perJti:F1}");
        GC.KeepAlive(ledger);

        // Expiry cost: prune one bucket (1% of what is held) at several sizes, and a fixed 10k out of growing totals.
        Console.WriteLine();
        Console.WriteLine("Prune cost (median of 5; each run on a freshly filled ledger):");
        MeasurePrune(10_000, 100); // JIT and warm-up, not reported
        Console.WriteLine("| held | expiring | prune ms | ns per expired jti | ns per held jti |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var (held, expiring) in new (int, int)[] { (count / 10, count / 1000), (count, count / 100), (count / 10, 10_000), (count, 10_000) })
        {
            var ms = MeasurePrune(held, expiring);
            Console.WriteLine($"| {held:N0} | {expiring:N0} | {ms:F3} | {ms * 1e6 / expiring:F0} | {ms * 1e6 / held:F2} |");
            Console.WriteLine($"RESULT prune held={held} expiring={expiring} ms={ms:F3}");
        }

        return 0;
    }

    private static long ForgetAt(int i) => Now + 16 * (1 + (i % 100));

    /// <summary>Fills a ledger with <paramref name="held"/> jti values of which <paramref name="expiring"/> expire first, then times the prune.</summary>
    private static double MeasurePrune(int held, int expiring)
    {
        var runs = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var ledger = new ReplayLedger();
            for (var i = 0; i < held; i++)
            {
                ledger.TryAdd(Guid.NewGuid().ToString(), i < expiring ? Now + 10 : Now + 10_000);
            }

            var watch = Stopwatch.StartNew();
            var forgotten = ledger.Prune(Now + 16);
            watch.Stop();
            if (forgotten != expiring)
            {
                throw new InvalidOperationException($"Expected to forget {expiring}, forgot {forgotten}.");
            }

            runs.Add(watch.Elapsed.TotalMilliseconds);
        }

        runs.Sort();
        return runs[runs.Count / 2];
    }
}
