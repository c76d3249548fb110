-- Call ids, destination codes and names, and chart scopes are identifiers: they are only ever compared for equality
-- and kept in key order, never sorted for a reader in a language's order. Under the database's default collation
-- (C.UTF-8, en_US.UTF-8, …) every comparison in their indexes and sorts goes through the C library's strcoll and
-- PostgreSQL cannot use abbreviated sort keys; with COLLATE "C" they compare as bytes. Measured on the rollup fold
-- at 50,000 sparse queued calls: the hourly upsert 830–965 ms under C.UTF-8 against 550–560 ms under "C".
-- For UTF-8 text, "C" orders by code point, as C.UTF-8 does, so nothing a reader sees changes on such databases.
-- The views over the rollups depend on these columns and are dropped and created again unchanged.

DROP VIEW cdr_monthly;
DROP VIEW cdr_daily;
DROP VIEW cdr_hourly;

ALTER TABLE cdrs
  ALTER COLUMN call_id TYPE text COLLATE "C",
  ALTER COLUMN dest_code TYPE text COLLATE "C",
  ALTER COLUMN dest_name TYPE text COLLATE "C";
ALTER TABLE call_recordings DROP CONSTRAINT call_recordings_operator_id_call_id_fkey;
ALTER TABLE cdr_ids ALTER COLUMN call_id TYPE text COLLATE "C";
ALTER TABLE call_recordings ALTER COLUMN call_id TYPE text COLLATE "C";
ALTER TABLE call_recordings ADD CONSTRAINT call_recordings_operator_id_call_id_fkey
  FOREIGN KEY (operator_id, call_id) REFERENCES cdr_ids (operator_id, call_id) ON DELETE CASCADE;
ALTER TABLE cdr_rollup_queue
  ALTER COLUMN dest_code TYPE text COLLATE "C",
  ALTER COLUMN dest_name TYPE text COLLATE "C";
ALTER TABLE cdr_hourly_store
  ALTER COLUMN dest_code TYPE text COLLATE "C",
  ALTER COLUMN dest_name TYPE text COLLATE "C";
ALTER TABLE cdr_daily_store
  ALTER COLUMN dest_code TYPE text COLLATE "C",
  ALTER COLUMN dest_name TYPE text COLLATE "C";
ALTER TABLE cdr_chart_slots ALTER COLUMN scope TYPE text COLLATE "C";
ALTER TABLE cdr_chart_dirty ALTER COLUMN scope TYPE text COLLATE "C";

CREATE VIEW cdr_hourly WITH (security_invoker = true) AS
SELECT operator_id, company_id, hour, dest_code, dest_name, carrier_id, attempts, connected, duration, billed_duration,
       charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count
  FROM cdr_hourly_store
UNION ALL
SELECT operator_id, company_id, date_trunc('hour', start_time, 'UTC'), dest_code, dest_name, carrier_id, 1::bigint,
       (duration > 0)::int::bigint, duration::bigint, billed_duration::bigint, charge, carrier_cost, dtmf_call::int::bigint,
       coalesce(pdd_ms, 0)::bigint, (pdd_ms IS NOT NULL)::int::bigint
  FROM cdr_rollup_queue;

CREATE VIEW cdr_daily WITH (security_invoker = true) AS
SELECT operator_id, company_id, day, dest_code, dest_name, attempts, connected, duration, billed_duration, charge,
       dtmf_calls, pdd_ms_sum, pdd_count
  FROM cdr_daily_store
UNION ALL
SELECT operator_id, company_id, date_trunc('day', start_time, 'UTC'), dest_code, dest_name, 1::bigint,
       (duration > 0)::int::bigint, duration::bigint, billed_duration::bigint, charge, dtmf_call::int::bigint,
       coalesce(pdd_ms, 0)::bigint, (pdd_ms IS NOT NULL)::int::bigint
  FROM cdr_rollup_queue;

CREATE VIEW cdr_monthly WITH (security_invoker = true) AS
SELECT operator_id, company_id, date_trunc('month', day, 'UTC') AS month, dest_code, dest_name,
       sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected, sum(duration)::bigint AS duration,
       sum(billed_duration)::bigint AS billed_duration, sum(charge) AS charge, sum(dtmf_calls)::bigint AS dtmf_calls,
       sum(pdd_ms_sum)::bigint AS pdd_ms_sum, sum(pdd_count)::bigint AS pdd_count
  FROM cdr_daily
 GROUP BY operator_id, company_id, date_trunc('month', day, 'UTC'), dest_code, dest_name;

GRANT SELECT ON cdr_hourly, cdr_daily, cdr_monthly TO portal_app;
