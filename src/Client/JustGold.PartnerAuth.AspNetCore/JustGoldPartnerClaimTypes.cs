namespace JustGold.PartnerAuth.AspNetCore;

/// <summary>Claim types of the principal the handler builds from the cluster's answer.</summary>
public static class JustGoldPartnerClaimTypes
{
    /// <summary>The partner id (the token's <c>iss</c>); also the identity's name.</summary>
    public const string PartnerId = "partner_id";

    /// <summary>The token's <c>sub</c>; absent when the token has none.</summary>
    public const string Subject = "sub";

    /// <summary>The kid of the partner key that verified the token.</summary>
    public const string Kid = "kid";

    public const string Jti = "jti";
}
