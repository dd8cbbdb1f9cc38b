using System.Data.Common;
using JustGold.Grains.Contracts;

namespace JustGold.Grains.Storage;

/// <summary><see cref="IPartnerStore"/> over ADO.NET: SQLite for the embedded default, PostgreSQL for a cluster (replay records live in an <see cref="IReplayStore"/>).</summary>
internal sealed class SqlPartnerStore(DbDataSource dataSource, SqlDialect dialect, IEnumerable<string>? extraSchema = null) : IPartnerStore
{
    public SqlDialect Dialect => dialect;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (dialect == SqlDialect.Sqlite)
        {
            // WAL lets readers and the one writer work side by side; it is a property of the file.
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        }

        await ExecuteAsync(connection, dialect.Schema, cancellationToken);
        foreach (var script in extraSchema ?? [])
        {
            await ExecuteAsync(connection, script, cancellationToken);
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT 1", cancellationToken);
    }

    public async Task<StoredPartner?> LoadPartnerAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, status, created_ms, updated_ms FROM jg_partners WHERE partner_id = @id";
        Add(command, "id", partnerId);
        string name;
        PartnerStatus status;
        DateTimeOffset created, updated;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            name = reader.GetString(0);
            status = Enum.Parse<PartnerStatus>(reader.GetString(1));
            created = FromMs(reader.GetInt64(2));
            updated = FromMs(reader.GetInt64(3));
        }

        command.Parameters.Clear();
        command.CommandText =
            "SELECT kid, key_type, curve, spki, status, created_ms, revoked_ms FROM jg_partner_keys WHERE partner_id = @id ORDER BY created_ms, kid";
        Add(command, "id", partnerId);
        var keys = new List<PartnerKey>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(new PartnerKey(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    Convert.FromBase64String(reader.GetString(3)),
                    Enum.Parse<KeyStatus>(reader.GetString(4)),
                    FromMs(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : FromMs(reader.GetInt64(6))));
            }
        }

        return new StoredPartner(partnerId, name, status, created, updated, keys);
    }

    public async Task<IReadOnlyList<PartnerSummary>> ListPartnersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT p.partner_id, p.name, p.status, p.created_ms, p.updated_ms,
                   (SELECT COUNT(*) FROM jg_partner_keys k WHERE k.partner_id = p.partner_id AND k.status = 'Active')
            FROM jg_partners p ORDER BY p.partner_id
            """;
        var partners = new List<PartnerSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            partners.Add(new PartnerSummary(
                reader.GetString(0),
                reader.GetString(1),
                Enum.Parse<PartnerStatus>(reader.GetString(2)),
                FromMs(reader.GetInt64(3)),
                FromMs(reader.GetInt64(4)),
                (int)reader.GetInt64(5)));
        }

        return partners;
    }

    public async Task SavePartnerAsync(StoredPartner partner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO jg_partners (partner_id, name, status, created_ms, updated_ms)
            VALUES (@id, @name, @status, @created, @updated)
            ON CONFLICT (partner_id) DO UPDATE SET name = excluded.name, status = excluded.status, updated_ms = excluded.updated_ms
            """;
        Add(command, "id", partner.PartnerId);
        Add(command, "name", partner.Name);
        Add(command, "status", partner.Status.ToString());
        Add(command, "created", partner.Created.ToUnixTimeMilliseconds());
        Add(command, "updated", partner.Updated.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveKeyAsync(string partnerId, PartnerKey key, KeyAuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText =
                """
                INSERT INTO jg_partner_keys (partner_id, kid, key_type, curve, spki, status, created_ms, revoked_ms)
                VALUES (@id, @kid, @type, @curve, @spki, @status, @created, @revoked)
                ON CONFLICT (partner_id, kid) DO UPDATE SET status = excluded.status, revoked_ms = excluded.revoked_ms
                """;
            Add(command, "id", partnerId);
            Add(command, "kid", key.Kid);
            Add(command, "type", key.KeyType);
            Add(command, "curve", key.Curve);
            Add(command, "spki", Convert.ToBase64String(key.SubjectPublicKeyInfo));
            Add(command, "status", key.Status.ToString());
            Add(command, "created", key.Created.ToUnixTimeMilliseconds());
            Add(command, "revoked", key.Revoked?.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO jg_key_audit (at_ms, actor, partner_id, kid, action) VALUES (@at, @actor, @id, @kid, @action)";
            Add(command, "at", audit.At.ToUnixTimeMilliseconds());
            Add(command, "actor", audit.Actor);
            Add(command, "id", audit.PartnerId);
            Add(command, "kid", audit.Kid);
            Add(command, "action", audit.Action);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<KeyAuditEntry>> LoadAuditTrailAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT at_ms, actor, partner_id, kid, action FROM jg_key_audit WHERE partner_id = @id ORDER BY id";
        Add(command, "id", partnerId);
        var entries = new List<KeyAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new KeyAuditEntry(FromMs(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return entries;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (dialect.SessionSetup is { } setup)
        {
            await ExecuteAsync(connection, setup, cancellationToken);
        }

        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
