namespace JustGold.Api.Authentication.Scheme;

/// <summary>Claim types of the principal the partner-token scheme builds.</summary>
internal static class PartnerClaimTypes
{
    public const string PartnerId = "partner_id";
    public const string Subject = "sub";
    public const string Kid = "kid";
    public const string Jti = "jti";
}
