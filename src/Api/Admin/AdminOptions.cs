namespace JustGold.Api.Admin;

/// <summary>Operator API settings (configuration section <c>Admin</c>).</summary>
internal sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The shared operator key sent as <c>X-Admin-Key</c>; empty disables the operator API.</summary>
    public string? ApiKey { get; set; }
}
