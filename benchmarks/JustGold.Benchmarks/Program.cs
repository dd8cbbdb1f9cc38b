// Benchmarks for the verification path. Usage (always Release):
//   dotnet run -c Release --project benchmarks/JustGold.Benchmarks -- --filter '*'   BenchmarkDotNet, all benchmarks
//   dotnet run -c Release --project benchmarks/JustGold.Benchmarks -- --filter '*ConfirmationRoundTrip*'
//                                                                                    the replay step through a real in-process silo, durable
//                                                                                    on and off: work items (hops) and bytes per confirmation
//   dotnet run -c Release --project benchmarks/JustGold.Benchmarks -- memory         replay ledger bytes per jti and prune cost
//   dotnet run -c Release --project benchmarks/JustGold.Benchmarks -- storage [s]    replay records/s and bytes per record through the
//                                                                                    embedded journal (PostgreSQL too with JUSTGOLD_BENCH_PG=<connection string>)
//   dotnet run -c Release --project benchmarks/JustGold.Benchmarks -- pgcost [n] [s]  PostgreSQL and writer CPU per replay record, bytes per
//                                                                                    live jti, expiry cost (run by scripts/pg-replay-rate.sh)
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using JustGold.Benchmarks;

if (args.Length > 0 && args[0] == "memory")
{
    return ReplayLedgerMemory.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "pgcost")
{
    return await PostgresReplayCost.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "storage")
{
    return await ReplayStorageRate.RunAsync(args.Skip(1).ToArray());
}

// In-process: no generated project to build, so the repository's strict build settings never
// meet BenchmarkDotNet's generated code, and a run takes a few minutes on 2 cores.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .WithId("InProcess"))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(VerificationBenchmarks).Assembly).Run(args, config);
return 0;
