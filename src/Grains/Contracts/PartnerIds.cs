using System.Text.RegularExpressions;

namespace JustGold.Grains.Contracts;

/// <summary>The shape of a partner id: 1–64 characters of A-Z a-z 0-9 . _ -</summary>
public static partial class PartnerIds
{
    public static bool IsValid(string? partnerId) => partnerId is not null && Pattern().IsMatch(partnerId);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
