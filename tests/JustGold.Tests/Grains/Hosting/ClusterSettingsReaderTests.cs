using JustGold.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JustGold.Tests.Grains.Hosting;

/// <summary>The Cluster section is checked once, at start-up, and a bad value is refused by its key.</summary>
public sealed class ClusterSettingsReaderTests
{
    [Fact]
    public void Defaults_and_a_valid_cluster_configuration_are_accepted()
    {
        Assert.Equal(11111, ClusterSettingsReader.Read(Configuration()).SiloPort);
        var cluster = ClusterSettingsReader.Read(Configuration(
            ("Cluster:Membership", "Postgres"),
            ("Storage:ConnectionString", "Host=127.0.0.1"),
            ("Cluster:AdvertisedAddress", "10.0.0.7"),
            ("Cluster:SiloPort", "65535"),
            ("Cluster:Liveness:ProbeTimeout", "00:00:02")));
        Assert.Equal(MembershipProvider.Postgres, cluster.Membership);
        Assert.Equal("10.0.0.7", cluster.AdvertisedAddress);
    }

    [Theory]
    [InlineData("Cluster:SiloPort", "70000", "Cluster:SiloPort must be a port from 1 to 65535 (was 70000).")]
    [InlineData("Cluster:GatewayPort", "0", "Cluster:GatewayPort must be a port from 1 to 65535 (was 0).")]
    [InlineData("Cluster:GatewayPort", "11111", "Cluster:SiloPort and Cluster:GatewayPort must differ (both 11111).")]
    [InlineData("Cluster:SiloPort", "eleven", "'Cluster:SiloPort'")]
    [InlineData("Cluster:AdvertisedAddress", "silo-1.local", "Cluster:AdvertisedAddress must be an IP address (was 'silo-1.local').")]
    [InlineData("Cluster:ResponseTimeoutSeconds", "0", "Cluster:ResponseTimeoutSeconds must be above zero (was 0).")]
    [InlineData("Cluster:GatewayLossGraceMilliseconds", "-5", "Cluster:GatewayLossGraceMilliseconds must be above zero (was -5).")]
    [InlineData("Cluster:GatewayListRefreshSeconds", "0", "Cluster:GatewayListRefreshSeconds must be above zero (was 0).")]
    [InlineData("Cluster:Mode", "Sideways", "'Cluster:Mode'")]
    [InlineData("Cluster:ClusterId", " ", "Cluster:ClusterId must not be empty.")]
    [InlineData("Cluster:Liveness:ProbeTimeout", "00:00:00", "Cluster:Liveness:ProbeTimeout must be above zero (was 00:00:00).")]
    [InlineData("Cluster:Liveness:NumMissedProbesLimit", "0", "Cluster:Liveness:NumMissedProbesLimit must be at least 1 (was 0).")]
    [InlineData("Cluster:Liveness:TableRefreshTimeout", "soon", "'Cluster:Liveness:TableRefreshTimeout'")]
    [InlineData("Cluster:Rebalancing:PeriodSeconds", "0", "Cluster:Rebalancing:PeriodSeconds must be from 1 to 3600 (was 0).")]
    [InlineData("Cluster:Rebalancing:TolerancePercent", "150", "Cluster:Rebalancing:TolerancePercent must be from 0 to 100 (was 150).")]
    [InlineData("Cluster:Rebalancing:MaxMovesPerRound", "many", "'Cluster:Rebalancing:MaxMovesPerRound'")]
    public void A_bad_value_is_refused_with_a_message_naming_its_key(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => ClusterSettingsReader.Read(Configuration((key, value))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_membership_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ClusterSettingsReader.Read(Configuration(("Cluster:Membership", "Postgres"))));
        Assert.Contains("Cluster:ConnectionString (or Storage:ConnectionString) is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_key_is_named_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ClusterSettingsReader.Read(Configuration(
            ("Cluster:SiloPort", "-1"), ("Cluster:AdvertisedAddress", "nowhere"))));
        Assert.Equal(2, error.Failures.Count());
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
