using JustGold.Api.Keys;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.Api.Authentication;

/// <summary>The asymmetric algorithms we accept, and which kind of key each needs.</summary>
internal static class SigningAlgorithms
{
    /// <summary>The algorithms the contract accepts; none, HMAC and everything else are refused.</summary>
    public static IReadOnlyList<string> Accepted { get; } =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384,
    ];

    public static bool IsAccepted(string? alg) => alg is not null && Accepted.Contains(alg, StringComparer.Ordinal);

    /// <summary>True when a key of <paramref name="family"/> may verify <paramref name="alg"/>.</summary>
    public static bool Fits(KeyFamily family, string alg) => family switch
    {
        KeyFamily.Rsa => alg is SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSha384 or SecurityAlgorithms.RsaSha512
            or SecurityAlgorithms.RsaSsaPssSha256 or SecurityAlgorithms.RsaSsaPssSha384 or SecurityAlgorithms.RsaSsaPssSha512,
        KeyFamily.EcP256 => alg == SecurityAlgorithms.EcdsaSha256,
        KeyFamily.EcP384 => alg == SecurityAlgorithms.EcdsaSha384,
        _ => false,
    };
}
