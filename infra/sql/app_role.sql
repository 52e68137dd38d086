-- A login role for the application that cannot rewrite history.
--
-- Run as the database owner (or a superuser), once per database, AFTER the event table exists
-- (start CodeQuest once as the owner, or let this script create it below):
--
--   psql "$OWNER_URL" -v app_role=codequest_app -v app_password='...' -f infra/sql/app_role.sql
--
-- then run CodeQuest with CODEQUEST_DATABASE_URL=postgresql://codequest_app:...@host/db.
--
-- The role gets SELECT and INSERT on codequest_events and no DELETE or TRUNCATE. eventsourcing
-- takes LOCK TABLE ... IN EXCLUSIVE MODE on every save, which PostgreSQL allows only to holders
-- of UPDATE, DELETE, TRUNCATE (or, from PostgreSQL 17, MAINTAIN): on 17+ the role gets MAINTAIN,
-- before 17 it gets UPDATE, and the append-only trigger refuses every UPDATE. The role does not
-- own the table, so it can neither drop nor disable that trigger, nor grant itself more.
-- Everything else (read models, tracking tables, subject_keys) the role creates and owns itself.

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_role', :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec

-- The event table exactly as eventsourcing 9.5 creates it (a no-op when it exists).
CREATE TABLE IF NOT EXISTS codequest_events (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    notification_id bigserial,
    PRIMARY KEY (originator_id, originator_version)
);
CREATE UNIQUE INDEX IF NOT EXISTS codequest_events_notification_id_idx
    ON codequest_events (notification_id ASC);
SELECT 'CREATE TYPE stored_event_uuid AS (originator_id uuid, originator_version bigint, '
       'topic text, state bytea)'
WHERE NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'stored_event_uuid') \gexec

\ir append_only.sql

SELECT format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
GRANT USAGE, CREATE ON SCHEMA public TO :"app_role";
REVOKE ALL ON codequest_events FROM :"app_role";
GRANT SELECT, INSERT ON codequest_events TO :"app_role";
SELECT format('GRANT %s ON codequest_events TO %I',
              CASE WHEN current_setting('server_version_num')::int >= 170000
                   THEN 'MAINTAIN' ELSE 'UPDATE' END,
              :'app_role') \gexec
GRANT USAGE, SELECT ON SEQUENCE codequest_events_notification_id_seq TO :"app_role";
