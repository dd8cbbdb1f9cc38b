-- =====================================================================================
-- Orleans ADO.NET clustering schema for PostgreSQL (JustGold).
--
-- Target: Microsoft.Orleans.Clustering.AdoNet 10.4.2, invariant "Npgsql", PostgreSQL 12+.
--
-- The Orleans NuGet packages ship no SQL. The provider only ever runs
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and then executes the stored query texts with named parameters. So the contract is:
--   * OrleansQuery must hold these keys (the provider refuses to start if one is missing):
--       UpdateIAmAlivetimeKey, InsertMembershipVersionKey, InsertMembershipKey,
--       UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey,
--       DeleteMembershipTableEntriesKey, GatewaysQueryKey, CleanupDefunctSiloEntriesKey
--     plus the optional CleanupDefunctSiloEntryKey (10.4.x: when present, defunct-silo
--     cleanup deletes Dead rows one at a time, and only if they did not change since read).
--   * Parameter names the provider binds: @DeploymentId (= ClusterId), @Address, @Port,
--     @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime,
--     @SuspectTimes, @Version.
--   * Result column names it reads: DeploymentId, Address, Port, Generation, SiloName,
--     HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version;
--     the insert/update queries must return one row with one column: >0 = success, 0 = lost
--     the optimistic-concurrency race (version mismatch / row exists / row missing).
--   * Timestamps are UTC; Npgsql sends them as timestamptz.
--
-- The script is idempotent: every object is created with IF NOT EXISTS / CREATE OR REPLACE
-- and every query row is upserted, so it can run on every deployment/startup. Existing
-- membership data is never touched. It takes a transaction-scoped advisory lock so two
-- processes applying it at the same moment do not race on the CREATE statements.
-- Run it as a whole (psql -f, or one NpgsqlCommand); it manages its own transaction, so do
-- not wrap it in an outer transaction.
-- =====================================================================================

BEGIN;

-- Keep reruns quiet ("already exists, skipping" notices) for this transaction only.
SET LOCAL client_min_messages = warning;

-- Serialize concurrent runs of this script (arbitrary constant key, released at COMMIT).
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(7300412019); END $lock$;

-- -------------------------------------------------------------------------------------
-- Query catalogue shared by all Orleans ADO.NET providers (clustering, persistence,
-- reminders...). Shape kept identical to the upstream one so other providers' scripts
-- can share it.
-- -------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- -------------------------------------------------------------------------------------
-- One row per cluster (DeploymentId = Orleans ClusterId). Version is the membership
-- table's etag: every membership change bumps it, guarded by compare-and-swap.
-- -------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- -------------------------------------------------------------------------------------
-- One row per silo incarnation (address + port + generation) of a cluster.
-- Status is Orleans' SiloStatus enum: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown,
-- 5 Stopping, 6 Dead. SuspectTimes is "silo,time|silo,time..." as written by Orleans.
-- -------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- -------------------------------------------------------------------------------------
-- Helper functions. They carry an "orleans_membership_" prefix of our own so they never
-- collide with functions left behind by the upstream sample scripts (CREATE OR REPLACE
-- cannot rename parameters of an existing function).
-- -------------------------------------------------------------------------------------

-- Heartbeat. Never moves IAmAliveTime backwards (late or retried writes are harmless).
-- Orleans ignores the result.
CREATE OR REPLACE FUNCTION orleans_membership_i_am_alive(
    p_deployment_id  varchar,
    p_address        varchar,
    p_port           integer,
    p_generation     integer,
    p_i_am_alive     timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $body$
BEGIN
    UPDATE OrleansMembershipTable AS m
    SET    IAmAliveTime = GREATEST(m.IAmAliveTime, p_i_am_alive)
    WHERE  m.DeploymentId = p_deployment_id AND p_deployment_id IS NOT NULL
      AND  m.Address      = p_address       AND p_address       IS NOT NULL
      AND  m.Port         = p_port          AND p_port          IS NOT NULL
      AND  m.Generation   = p_generation    AND p_generation    IS NOT NULL;
END
$body$;

-- Creates the cluster's version row if missing. Returns 1 when it was created, 0 when it
-- already existed.
CREATE OR REPLACE FUNCTION orleans_membership_insert_version(
    p_deployment_id varchar)
RETURNS TABLE (affected integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer := 0;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (p_deployment_id)
    ON CONFLICT (DeploymentId) DO NOTHING;

    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN QUERY SELECT v_rows;
END
$body$;

-- Adds a silo row and bumps the table version, atomically: the version must still equal
-- p_version (compare-and-swap) and the row must not exist yet. If either check fails the
-- inner block is rolled back (nothing changes) and 0 is returned; otherwise 1.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id varchar,
    p_address       varchar,
    p_port          integer,
    p_generation    integer,
    p_silo_name     varchar,
    p_host_name     varchar,
    p_status        integer,
    p_proxy_port    integer,
    p_start_time    timestamptz,
    p_i_am_alive    timestamptz,
    p_version       integer)
RETURNS TABLE (affected integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET    Timestamp = now(),
               Version   = Version + 1
        WHERE  DeploymentId = p_deployment_id AND p_deployment_id IS NOT NULL
          AND  Version      = p_version       AND p_version       IS NOT NULL
          AND  Version < 2147483647;

        GET DIAGNOSTICS v_rows = ROW_COUNT;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName,
             Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
               p_status, p_proxy_port, p_start_time, p_i_am_alive
        WHERE  v_rows > 0
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

        GET DIAGNOSTICS v_rows = ROW_COUNT;

        IF v_rows = 0 THEN
            -- Undo the version bump (the sub-block is a savepoint).
            RAISE EXCEPTION 'orleans membership insert lost the race' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT v_rows;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT 0;
    END;
END
$body$;

-- Updates a silo row (status, suspicions, heartbeat) and bumps the table version,
-- atomically, with the same compare-and-swap rules as the insert. Returns 1 or 0.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id varchar,
    p_address       varchar,
    p_port          integer,
    p_generation    integer,
    p_status        integer,
    p_suspect_times varchar,
    p_i_am_alive    timestamptz,
    p_version       integer)
RETURNS TABLE (affected integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET    Timestamp = now(),
               Version   = Version + 1
        WHERE  DeploymentId = p_deployment_id AND p_deployment_id IS NOT NULL
          AND  Version      = p_version       AND p_version       IS NOT NULL
          AND  Version < 2147483647;

        GET DIAGNOSTICS v_rows = ROW_COUNT;

        UPDATE OrleansMembershipTable AS m
        SET    Status       = p_status,
               SuspectTimes = p_suspect_times,
               IAmAliveTime = GREATEST(m.IAmAliveTime, p_i_am_alive)
        WHERE  m.DeploymentId = p_deployment_id AND p_deployment_id IS NOT NULL
          AND  m.Address      = p_address       AND p_address       IS NOT NULL
          AND  m.Port         = p_port          AND p_port          IS NOT NULL
          AND  m.Generation   = p_generation    AND p_generation    IS NOT NULL
          AND  v_rows > 0;

        GET DIAGNOSTICS v_rows = ROW_COUNT;

        IF v_rows = 0 THEN
            RAISE EXCEPTION 'orleans membership update lost the race' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT v_rows;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT 0;
    END;
END
$body$;

-- -------------------------------------------------------------------------------------
-- Query rows. Upserted, so re-running the script also upgrades query texts in place.
-- (Inside the texts, '' is an escaped single quote.)
-- -------------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpdateIAmAlivetimeKey',
    'SELECT orleans_membership_i_am_alive(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);'
),
(
    'InsertMembershipVersionKey',
    'SELECT affected FROM orleans_membership_insert_version(@DeploymentId);'
),
(
    'InsertMembershipKey',
    'SELECT affected FROM orleans_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'
),
(
    'UpdateMembershipKey',
    'SELECT affected FROM orleans_membership_update(
        @DeploymentId, @Address, @Port, @Generation,
        @Status, @SuspectTimes, @IAmAliveTime, @Version);'
),
(
    -- The version row is always returned (LEFT JOIN), even if the silo row does not exist,
    -- because Orleans takes the table version from it.
    'MembershipReadRowKey',
    'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
            m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
     FROM OrleansMembershipVersionTable v
     LEFT JOIN OrleansMembershipTable m
            ON m.DeploymentId = v.DeploymentId
           AND m.Address = @Address AND @Address IS NOT NULL
           AND m.Port = @Port AND @Port IS NOT NULL
           AND m.Generation = @Generation AND @Generation IS NOT NULL
     WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;'
),
(
    'MembershipReadAllKey',
    'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
            m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
     FROM OrleansMembershipVersionTable v
     LEFT JOIN OrleansMembershipTable m
            ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;'
),
(
    'DeleteMembershipTableEntriesKey',
    'DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
     DELETE FROM OrleansMembershipVersionTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;'
),
(
    -- Used by clients (and silos) to find gateways; Orleans passes @Status = 3 (Active).
    'GatewaysQueryKey',
    'SELECT Address, ProxyPort, Generation
     FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
       AND Status = @Status AND @Status IS NOT NULL
       AND ProxyPort > 0;'
),
(
    -- Bulk cleanup, only used when CleanupDefunctSiloEntryKey is absent. Removes Dead (6)
    -- rows whose heartbeat and start are older than the cutoff and carry no suspicions.
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
       AND IAmAliveTime < @IAmAliveTime
       AND StartTime < @IAmAliveTime
       AND COALESCE(SuspectTimes, '''') = ''''
       AND Status = 6;'
),
(
    -- Per-row cleanup (preferred by 10.4.x): Orleans reads all rows, picks the Dead ones
    -- older than the cutoff and deletes each only if it is still exactly as read.
    'CleanupDefunctSiloEntryKey',
    'DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = 6
       AND Address = @Address AND Port = @Port AND Generation = @Generation
       AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
       AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

COMMIT;
