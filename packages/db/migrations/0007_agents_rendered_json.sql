ALTER TABLE "agents" ADD COLUMN "api_json" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "health_json" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- The hottest reads (an agent's health, list pages) send these columns as they are. They are written
-- here, for every insert and update by any plane, exactly as fast-json-stringify writes the API's
-- `Agent` and `AgentHealth` schemas (services/control-plane agents.schemas.ts): schema key order, no
-- whitespace, strings escaped as JSON.stringify escapes them (to_json), timestamps as toISOString()
-- writes them (UTC, milliseconds truncated, `Z`). Two differences parse to the same value: `config` is
-- jsonb's own text (`{"a": 1}`), and doubles are PostgreSQL's shortest form (`1e+21`); non-finite
-- doubles become null as in JSON. agents.json.test.ts holds the text to the JS rendering.
-- A change to either body is a new migration that replaces this function and touches every row.
CREATE FUNCTION agents_render_json() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pending text := case when new.pending_action is not null and new.pending_action_id is not null and new.pending_action_at is not null
    then '{"action":' || to_json(new.pending_action)::text || ',"action_id":' || to_json(new.pending_action_id)::text
      || ',"requested_at":"' || to_char(new.pending_action_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}'
    else 'null' end;
BEGIN
  new.api_json := '{"id":' || to_json(new.id)::text || ',"name":' || to_json(new.name)::text
    || ',"template_id":' || to_json(new.template_id)::text || ',"status":' || to_json(new.status)::text
    || ',"pending_action":' || pending || ',"did":' || to_json(new.did)::text
    || ',"policy_hash":' || coalesce(to_json(new.policy_hash)::text, 'null') || ',"runtime":' || to_json(new.runtime)::text
    || ',"model":' || to_json(new.model)::text
    || ',"resources":{"cpu_millis":' || new.cpu_millis || ',"memory_mb":' || new.memory_mb || ',"disk_mb":' || new.disk_mb
    || '},"sleep_after_seconds":' || new.sleep_after_seconds || ',"stateless":' || to_json(new.stateless)::text
    || ',"secret_refs":' || array_to_json(new.secret_refs)::text || ',"config":' || new.config::text
    || ',"created_at":"' || to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    || '","updated_at":"' || to_char(new.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}';
  new.health_json := '{"agent_id":' || to_json(new.id)::text || ',"status":' || to_json(new.status)::text
    || ',"pending_action":' || pending
    || ',"last_active_at":' || coalesce('"' || to_char(new.last_active_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',"cpu_usage_millis":' || case when new.cpu_usage_millis is null or new.cpu_usage_millis in ('NaN', 'Infinity', '-Infinity') then 'null' else new.cpu_usage_millis::text end
    || ',"memory_usage_mb":' || case when new.memory_usage_mb is null or new.memory_usage_mb in ('NaN', 'Infinity', '-Infinity') then 'null' else new.memory_usage_mb::text end
    || ',"sandbox_id":' || coalesce(to_json(new.sandbox_id)::text, 'null')
    || ',"last_error_code":' || coalesce(to_json(new.last_error_code)::text, 'null')
    || ',"restart_count":' || new.restart_count || ',"failure_count":' || new.failure_count
    || ',"last_restart_at":' || coalesce('"' || to_char(new.last_restart_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',"last_failure_at":' || coalesce('"' || to_char(new.last_failure_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',"last_failure_code":' || coalesce(to_json(new.last_failure_code)::text, 'null')
    || ',"updated_at":"' || to_char(new.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}';
  RETURN new;
END
$$;--> statement-breakpoint
CREATE TRIGGER agents_render_json BEFORE INSERT OR UPDATE ON agents FOR EACH ROW EXECUTE FUNCTION agents_render_json();--> statement-breakpoint
-- Rows that exist already: any update renders them.
UPDATE agents SET api_json = '';
