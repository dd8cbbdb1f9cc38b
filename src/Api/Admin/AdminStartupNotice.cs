using Microsoft.Extensions.Options;

namespace JustGold.Api.Admin;

/// <summary>Says in the log, once at start-up, when the operator API is disabled and why.</summary>
internal sealed partial class AdminStartupNotice(IOptions<AdminOptions> options, ILogger<AdminStartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.EffectiveKey is null)
        {
            LogDisabled(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Operator API disabled: no Admin:ApiKey configured (empty or only whitespace; set the environment variable Admin__ApiKey). Every /admin call answers 403 admin_disabled.")]
    private static partial void LogDisabled(ILogger logger);
}
