namespace JustGold.Grains.Diagnostics;

/// <summary>Why the cluster could not decide, as the <c>cause</c> tag of <c>partner_auth_unavailable_total</c>.</summary>
public static class UnavailableCause
{
    public const string Storage = "storage";

    public static string Of(Exception exception) => exception switch
    {
        TimeoutException => "timeout",
        SiloUnavailableException => "silo_unavailable",
        OrleansMessageRejectionException or GatewayTooBusyException => "rejected",
        _ => "other",
    };
}
