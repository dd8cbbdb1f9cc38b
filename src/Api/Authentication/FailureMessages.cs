namespace JustGold.Api.Authentication;

/// <summary>
/// Every message a partner can read in a refusal, written once. None quotes the token or its
/// claims: a caller with a bad signature learns nothing about what it sent.
/// </summary>
internal static class FailureMessages
{
    public const string MissingToken = "Send the token as 'Authorization: Bearer <token>'.";
    public const string TooLarge = "The token is larger than 8 KiB.";
    public const string NotThreeParts = "A token has exactly three parts separated by dots (compact JWS).";
    public const string NotBase64Url = "Each part of the token must be unpadded base64url (RFC 7515).";
    public const string EmptyPart = "The token's header and payload must not be empty.";
    public const string NotJson = "The token's header or payload is not valid JSON with claims of the right types.";
    public const string NotOneObject = "The token's header and payload must each be exactly one JSON object, with nothing after it.";
    public const string AlgorithmRefused = "The algorithm in the token's header is not accepted; use RS256, RS384, RS512, PS256, PS384, PS512, ES256 or ES384.";
    public const string CritRefused = "Tokens with a 'crit' header are refused.";
    public const string TypRefused = "The token's 'typ' header must be JWT or at+jwt when present.";
    public const string SubNotString = "The 'sub' claim must be a string when present.";
    public const string NumericDateInvalid = "The 'iat', 'exp' and 'nbf' claims must be NumericDate numbers (seconds since 1970).";
    public const string IssRequired = "The 'iss' claim is required and must be your partner id.";
    public const string AudRequired = "The 'aud' claim is required.";
    public const string AudNotStrings = "The 'aud' claim must be a string or an array of strings.";
    public const string JtiRequired = "The 'jti' claim is required and must be a non-empty string.";
    public const string JtiTooLong = "The 'jti' claim is longer than 256 characters.";
    public const string IatRequired = "The 'iat' claim is required.";
    public const string ExpRequired = "The 'exp' claim is required.";
    public const string NotAPartner = "The issuer is not a registered partner.";
    public const string PartnerNotActive = "The issuer is not a registered, active partner.";
    public const string Signature = "No active key of this partner verifies the signature (check the kid, the algorithm and the key you signed with).";
    public const string Expired = "The token has expired ('exp' is in the past beyond the allowed clock skew).";
    public const string IssuedInFuture = "The 'iat' claim is in the future beyond the allowed clock skew; check your server's clock.";
    public const string NotYetValid = "The 'nbf' claim is in the future beyond the allowed clock skew.";
    public const string Replayed = "A token with this jti was already accepted; use a fresh jti for every token.";
    public const string Unavailable = "The service cannot decide right now; try again shortly.";

    public static string LivesTooLong(int maxLifetimeSeconds) =>
        $"The token lives longer than {maxLifetimeSeconds} seconds ('exp' - 'iat').";

    public static string WrongAudience(string audience) => $"The 'aud' claim must contain '{audience}'.";
}
