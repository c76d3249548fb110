-- Rollups folded from a queue. Ingestion appends one narrow row per new CDR to cdr_rollup_queue (a heap
-- without indexes: the cheapest write there is); the worker folds the queue into one row per key of the
-- hourly and daily stores with upserts, seconds later. Readers use the views cdr_hourly and cdr_daily,
-- which add the rows still queued, so every report is exact at all times.

ALTER TABLE cdr_hourly RENAME TO cdr_hourly_store;
ALTER TABLE cdr_daily RENAME TO cdr_daily_store;
DROP VIEW cdr_monthly;

-- One row per key from now on: merge what the append-only design left, then enforce it.
CREATE TEMP TABLE merged_hourly ON COMMIT DROP AS
SELECT operator_id, company_id, hour, dest_code, dest_name, carrier_id, sum(attempts)::bigint AS attempts,
       sum(connected)::bigint AS connected, sum(duration)::bigint AS duration, sum(billed_duration)::bigint AS billed_duration,
       sum(charge) AS charge, sum(carrier_cost) AS carrier_cost, sum(dtmf_calls)::bigint AS dtmf_calls,
       sum(pdd_ms_sum)::bigint AS pdd_ms_sum, sum(pdd_count)::bigint AS pdd_count
  FROM cdr_hourly_store GROUP BY 1, 2, 3, 4, 5, 6;
DELETE FROM cdr_hourly_store;
DROP INDEX cdr_hourly_company;
DROP INDEX cdr_hourly_fresh;
ALTER TABLE cdr_hourly_store DROP COLUMN compacted;
INSERT INTO cdr_hourly_store SELECT * FROM merged_hourly;
CREATE UNIQUE INDEX cdr_hourly_key ON cdr_hourly_store (operator_id, company_id, hour, dest_code, dest_name, carrier_id);

CREATE TEMP TABLE merged_daily ON COMMIT DROP AS
SELECT operator_id, company_id, day, dest_code, dest_name, sum(attempts)::bigint AS attempts,
       sum(connected)::bigint AS connected, sum(duration)::bigint AS duration, sum(billed_duration)::bigint AS billed_duration,
       sum(charge) AS charge, sum(dtmf_calls)::bigint AS dtmf_calls, sum(pdd_ms_sum)::bigint AS pdd_ms_sum,
       sum(pdd_count)::bigint AS pdd_count
  FROM cdr_daily_store GROUP BY 1, 2, 3, 4, 5;
DELETE FROM cdr_daily_store;
DROP INDEX cdr_daily_company;
DROP INDEX cdr_daily_fresh;
ALTER TABLE cdr_daily_store DROP COLUMN compacted;
INSERT INTO cdr_daily_store SELECT * FROM merged_daily;
CREATE UNIQUE INDEX cdr_daily_key ON cdr_daily_store (operator_id, company_id, day, dest_code, dest_name);

-- What the rollups need of each new CDR, waiting to be folded.
CREATE TABLE cdr_rollup_queue (
  operator_id uuid NOT NULL,
  company_id uuid NOT NULL,
  start_time timestamptz NOT NULL,
  dest_code text NOT NULL,
  dest_name text NOT NULL,
  carrier_id uuid NOT NULL,
  duration integer NOT NULL,
  billed_duration integer NOT NULL,
  charge numeric(20, 6) NOT NULL,
  carrier_cost numeric(20, 6) NOT NULL,
  dtmf_call boolean NOT NULL,
  pdd_ms integer
);
ALTER TABLE cdr_rollup_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdr_rollup_queue FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON cdr_rollup_queue USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON cdr_rollup_queue TO portal_app;

-- The rollups as readers see them: the folded store plus the rows still queued (each counts as itself).
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
