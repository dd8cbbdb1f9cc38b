using JustGold.Grains.Storage;

namespace JustGold.Grains.Hosting;

/// <summary>
/// Runs the group-commit writer inside the silo's lifecycle rather than as a hosted service:
/// it starts before the silo takes grain calls and stops only after every grain on the silo has
/// deactivated (Orleans deactivates them when <c>BecomeActive</c> stops). As a hosted service it
/// stopped first, so during a graceful shutdown grains still answering calls could not make a
/// jti durable and refused the token with 503.
/// </summary>
internal sealed class ReplayWriterLifecycle(ReplayRecordWriter writer) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplayWriterLifecycle), ServiceLifecycleStage.ApplicationServices, writer.StartAsync, writer.StopAsync);
}
