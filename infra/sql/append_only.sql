-- The event log is append-only: every UPDATE, DELETE and TRUNCATE of codequest_events is refused.
-- Installed at startup by infra.audit.install_guards (idempotent); safe to run by hand with psql.
-- Only the table's owner can disable these triggers, and only a superuser can bypass them with
-- SET session_replication_role = replica, so run the application as a role that is neither
-- (infra/sql/app_role.sql).

CREATE OR REPLACE FUNCTION codequest_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'codequest_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE TRIGGER codequest_events_append_only
    BEFORE UPDATE OR DELETE ON codequest_events
    FOR EACH ROW EXECUTE FUNCTION codequest_refuse_change();

CREATE OR REPLACE TRIGGER codequest_events_no_truncate
    BEFORE TRUNCATE ON codequest_events
    FOR EACH STATEMENT EXECUTE FUNCTION codequest_refuse_change();
