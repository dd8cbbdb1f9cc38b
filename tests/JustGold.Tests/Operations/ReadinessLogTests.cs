using JustGold.Operations;
using JustGold.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace JustGold.Tests.Operations;

/// <summary>
/// A failing /readyz polled during an outage must not grow the log per request: readiness
/// changes are logged once each, whatever the number of polls in between.
/// </summary>
public sealed class ReadinessLogTests
{
    private static HealthReport Report(HealthStatus storage) => new(
        new Dictionary<string, HealthReportEntry>
        {
            ["cluster"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null),
            ["storage"] = new(storage, "connection refused: secret-host:5432", TimeSpan.Zero, new InvalidOperationException("secret-host"), null),
        },
        TimeSpan.Zero);

    [Fact]
    public void Observe_LogsEachChangeOnceAndNoErrorText()
    {
        using var provider = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        var log = new ReadinessLog(factory.CreateLogger<ReadinessLog>());

        foreach (var status in new[] { HealthStatus.Healthy, HealthStatus.Healthy, HealthStatus.Unhealthy })
        {
            log.Observe(Report(status));
        }

        for (var i = 0; i < 500; i++)
        {
            log.Observe(Report(HealthStatus.Unhealthy));
        }

        log.Observe(Report(HealthStatus.Healthy));
        log.Observe(Report(HealthStatus.Healthy));

        var lines = provider.Lines.ToArray();
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Information", lines[0], StringComparison.Ordinal);
        Assert.Contains("[8001] Not ready: storage unhealthy", lines[1], StringComparison.Ordinal);
        Assert.Contains("[8002]", lines[2], StringComparison.Ordinal);
        Assert.All(lines, line => Assert.DoesNotContain("secret-host", line, StringComparison.Ordinal));
    }
}
