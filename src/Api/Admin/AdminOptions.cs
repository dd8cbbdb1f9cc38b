namespace JustGold.Api.Admin;

/// <summary>Operator API settings (configuration section <c>Admin</c>).</summary>
internal sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The shared operator key sent as <c>X-Admin-Key</c>; empty disables the operator API.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The key a request must present, or null when the operator API is disabled. Header values arrive
    /// trimmed, so the configured key is compared trimmed, and a key of only whitespace counts as none.
    /// </summary>
    public string? EffectiveKey => string.IsNullOrWhiteSpace(ApiKey) ? null : ApiKey.Trim();
}
