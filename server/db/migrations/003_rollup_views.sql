-- Daily rollup per company and destination (no carrier): what customer breakouts over days and months read.
-- Appended by ingestion like cdr_hourly and compacted by the worker; readers always sum.
CREATE TABLE cdr_daily (
  operator_id uuid NOT NULL,
  company_id uuid NOT NULL,
  day timestamptz NOT NULL,
  dest_code text NOT NULL,
  dest_name text NOT NULL,
  attempts bigint NOT NULL,
  connected bigint NOT NULL,
  duration bigint NOT NULL,
  billed_duration bigint NOT NULL,
  charge numeric(20, 6) NOT NULL,
  dtmf_calls bigint NOT NULL,
  pdd_ms_sum bigint NOT NULL,
  pdd_count bigint NOT NULL,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX cdr_daily_company ON cdr_daily (operator_id, company_id, day);
CREATE INDEX cdr_daily_fresh ON cdr_daily (operator_id, company_id, day) WHERE NOT compacted;
ALTER TABLE cdr_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdr_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON cdr_daily USING (operator_id = app_operator_id()) WITH CHECK (operator_id = app_operator_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON cdr_daily TO portal_app;

-- Monthly view derived from the daily rollup (UTC). security_invoker keeps row-level security.
CREATE VIEW cdr_monthly WITH (security_invoker = true) AS
SELECT operator_id, company_id, date_trunc('month', day, 'UTC') AS month, dest_code, dest_name,
       sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected, sum(duration)::bigint AS duration,
       sum(billed_duration)::bigint AS billed_duration, sum(charge) AS charge, sum(dtmf_calls)::bigint AS dtmf_calls,
       sum(pdd_ms_sum)::bigint AS pdd_ms_sum, sum(pdd_count)::bigint AS pdd_count
  FROM cdr_daily
 GROUP BY operator_id, company_id, date_trunc('month', day, 'UTC'), dest_code, dest_name;
GRANT SELECT ON cdr_monthly TO portal_app;
