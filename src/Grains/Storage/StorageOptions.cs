using System.ComponentModel.DataAnnotations;

namespace JustGold.Grains.Storage;

/// <summary>Where partners, keys, the audit trail and replay records live (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Sqlite</c> (embedded default, a file in <see cref="DataDirectory"/>) or <c>Postgres</c> (cluster).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Folder of the embedded database; relative paths start at the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Npgsql connection string, required with the Postgres provider.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Create or update the tables at start-up (idempotent).</summary>
    public bool ApplySchema { get; set; } = true;

    /// <summary>
    /// Write each accepted jti to storage before answering, so replay protection survives a crash.
    /// Off keeps them in memory only: for measuring the cost, never for production.
    /// </summary>
    public bool DurableReplayRecords { get; set; } = true;

    /// <summary>
    /// The span of forget-at times one journal file (embedded, in <c>replay/</c> under
    /// <see cref="DataDirectory"/>) or one partition of <c>jg_replay_jti</c> (PostgreSQL) covers.
    /// Either is deleted whole once its span has passed, so storage holds at most this much more
    /// than the live window. Every silo of a cluster should use the same value.
    /// </summary>
    [Range(1, 3600)]
    public int ReplaySegmentSeconds { get; set; } = 60;

    /// <summary>Most replay records written in one group commit.</summary>
    [Range(1, 10_000)]
    public int MaxReplayBatch { get; set; } = 512;

    /// <summary>
    /// Under load, how long a group commit waits for more records before it writes (as
    /// PostgreSQL's <c>commit_delay</c>): every sync costs the same whatever it carries, so
    /// fuller batches cost less per token. 0 turns the wait off.
    /// </summary>
    [Range(0, 100)]
    public int ReplayCommitDelayMilliseconds { get; set; } = 1;

    /// <summary>
    /// After an idle spell the wait above happens only when at least this many records are
    /// already queued (as PostgreSQL's <c>commit_siblings</c>): a lone token on a quiet node is
    /// written at once. Records that queued up while the previous commit was being written wait
    /// whatever their number: traffic that overlaps the commits is load.
    /// </summary>
    [Range(1, 10_000)]
    public int ReplayCommitSiblings { get; set; } = 4;
}

public enum StorageProvider
{
    Sqlite,
    Postgres,
}
