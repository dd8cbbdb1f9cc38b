using JustGold.ClusterTests.Infrastructure;

namespace JustGold.ClusterTests;

/// <summary>A silo or API process given a bad Cluster value stops at start-up and says which key.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Silo", "Cluster__SiloPort", "70000", "Cluster:SiloPort must be a port from 1 to 65535 (was 70000).")]
    [InlineData("Silo", "Cluster__AdvertisedAddress", "silo-1", "Cluster:AdvertisedAddress must be an IP address (was 'silo-1').")]
    [InlineData("Silo", "Silo__Dashboard", "true", "Silo:Dashboard is true but Admin:ApiKey is empty")]
    [InlineData("Api", "Cluster__GatewayLossGraceMilliseconds", "0", "Cluster:GatewayLossGraceMilliseconds must be above zero (was 0).")]
    public async Task A_bad_cluster_value_stops_the_process_with_a_message_naming_the_key(string project, string variable, string value, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("justgold-startup-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "Postgres",
                ["Storage__ConnectionString"] = "Host=127.0.0.1;Port=1",
                ["Cluster__Membership"] = "Postgres",
                ["Cluster__Mode"] = "Client",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                [variable] = value,
            };
            await using var node = NodeProcess.Start(project, ClusterHarness.BuiltDll(project), environment, directory);
            await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, node.ExitCode);
            Assert.Contains(expected, node.Tail(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
