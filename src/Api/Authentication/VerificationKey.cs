using JustGold.Api.Keys;
using JustGold.Grains.Contracts;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>A partner key ready to verify: the IdentityModel key built once, reused by every request.</summary>
internal sealed class VerificationKey(PartnerKey key)
{
    public string Kid { get; } = key.Kid;

    public KeyFamily Family { get; } = key.Family();

    public SecurityKey SecurityKey { get; } = key.ToSecurityKey();
}
