namespace JustGold.Api.Admin.Responses;

/// <summary>One key change: who, when, which partner and key, what.</summary>
internal sealed record AuditEntryResponse(DateTimeOffset At, string Actor, string Partner, string Kid, string Action);
