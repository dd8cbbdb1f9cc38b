using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JustGold.Grains.Storage;

/// <summary>Applies the idempotent schema before anything else in the silo starts, when Storage:ApplySchema is on.</summary>
internal sealed partial class SchemaInitializer(IPartnerStore store, IOptions<StorageOptions> options, ILogger<SchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInitializer), ServiceLifecycleStage.First, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ApplySchema)
        {
            return;
        }

        await store.EnsureSchemaAsync(cancellationToken);
        LogApplied(logger, options.Value.Provider);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Storage schema ensured ({Provider})")]
    private static partial void LogApplied(ILogger logger, StorageProvider provider);
}
