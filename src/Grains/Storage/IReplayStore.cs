namespace JustGold.Grains.Storage;

/// <summary>The durable home of accepted jti values (as digests), kept until each may be forgotten.</summary>
internal interface IReplayStore
{
    /// <summary>The jti digests of a partner that are still remembered at <paramref name="nowUnixSeconds"/>.</summary>
    Task<IReadOnlyList<ReplayRecord>> LoadAsync(string partnerId, long nowUnixSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the records durable before completing. For each record, true when it was new; false
    /// when storage knows the partner already had that jti live at <paramref name="nowUnixSeconds"/>
    /// (a replay another activation of the grain let through to here). A store behind a single
    /// silo may leave that to the grain's ledger and answer true for every first copy.
    /// </summary>
    Task<bool[]> AppendAsync(IReadOnlyList<ReplayRecord> records, long nowUnixSeconds, CancellationToken cancellationToken);

    /// <summary>Drops what has passed its forget-at; returns how many rows or files went.</summary>
    Task<int> ForgetExpiredAsync(long nowUnixSeconds, CancellationToken cancellationToken);
}
