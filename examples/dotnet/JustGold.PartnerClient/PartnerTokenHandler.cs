using System.Net.Http.Headers;

namespace JustGold.PartnerClient;

/// <summary>
/// An <see cref="HttpClient"/> handler that signs every outgoing request with a fresh token
/// (<c>Authorization: Bearer …</c>). A retried or repeated request gets a new token too, so
/// it is never refused as <c>replayed_token</c>.
/// </summary>
public sealed class PartnerTokenHandler(PartnerTokenFactory tokens) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.CreateToken());
        return base.SendAsync(request, cancellationToken);
    }
}
