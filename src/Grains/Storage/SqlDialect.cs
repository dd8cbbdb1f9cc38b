namespace JustGold.Grains.Storage;

/// <summary>
/// The little that differs between the embedded SQLite file and PostgreSQL: table DDL and
/// connection set-up. Every query the store runs is plain SQL both understand.
/// </summary>
internal sealed class SqlDialect
{
    private SqlDialect(string name, string auditId, string replayTables, string? sessionSetup, bool serializeSchema = false)
    {
        Name = name;
        Schema =
            $"""
            CREATE TABLE IF NOT EXISTS jg_partners (
                partner_id  TEXT   NOT NULL PRIMARY KEY,
                name        TEXT   NOT NULL,
                status      TEXT   NOT NULL,
                created_ms  BIGINT NOT NULL,
                updated_ms  BIGINT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS jg_partner_keys (
                partner_id  TEXT   NOT NULL,
                kid         TEXT   NOT NULL,
                key_type    TEXT   NOT NULL,
                curve       TEXT   NULL,
                spki        TEXT   NOT NULL,
                status      TEXT   NOT NULL,
                created_ms  BIGINT NOT NULL,
                revoked_ms  BIGINT NULL,
                PRIMARY KEY (partner_id, kid)
            );
            CREATE TABLE IF NOT EXISTS jg_key_audit (
                id          {auditId},
                at_ms       BIGINT NOT NULL,
                actor       TEXT   NOT NULL,
                partner_id  TEXT   NOT NULL,
                kid         TEXT   NOT NULL,
                action      TEXT   NOT NULL
            );
            CREATE INDEX IF NOT EXISTS jg_key_audit_by_partner ON jg_key_audit (partner_id, id);
            {replayTables}
            """;
        if (serializeSchema)
        {
            // Silos starting side by side race on CREATE ... IF NOT EXISTS (a unique violation in the
            // catalog); one transaction under an advisory lock makes the second wait, then do nothing.
            Schema = $"BEGIN;\nSELECT pg_advisory_xact_lock(7300412020);\n{Schema}\nCOMMIT;";
        }

        SessionSetup = sessionSetup;
    }

    public static SqlDialect Sqlite { get; } = new(
        "Sqlite",
        "INTEGER PRIMARY KEY AUTOINCREMENT",
        // Replay records are not kept in SQLite but in the journal files beside it (ReplayJournal).
        "",
        // FULL: a commit is on disk before the caller hears of it (a saved key or revocation survives a crash).
        "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");

    public static SqlDialect Postgres { get; } = new(
        "Postgres",
        "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        PostgresReplayStore.Schema,
        null,
        serializeSchema: true);

    public string Name { get; }

    /// <summary>Idempotent DDL for the project's own tables.</summary>
    public string Schema { get; }

    /// <summary>Statements run on every newly opened connection, if any.</summary>
    public string? SessionSetup { get; }
}
