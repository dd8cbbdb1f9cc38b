// Every test starts PostgreSQL and several dotnet processes; on two cores they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
