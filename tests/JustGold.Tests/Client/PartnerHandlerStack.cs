using JustGold.Tests.Infrastructure;

namespace JustGold.Tests.Client;

/// <summary>The real API on Kestrel and a downstream service that authenticates with the handler library against it.</summary>
public sealed class PartnerHandlerStack : IAsyncLifetime
{
    public KestrelApi Api { get; private set; } = null!;

    public DownstreamService Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = KestrelApi.Start();
        Service = await DownstreamService.StartAsync(o => o.AuthorityUrl = Api.Url.ToString());
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Api.DisposeAsync();
    }
}
