-- Daily and monthly views derived from the hourly rollup (UTC). security_invoker keeps row-level security.
CREATE VIEW cdr_daily WITH (security_invoker = true) AS
SELECT operator_id, company_id, date_trunc('day', hour, 'UTC') AS day, dest_code, dest_name, carrier_id,
       sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected, sum(duration)::bigint AS duration,
       sum(billed_duration)::bigint AS billed_duration, sum(charge) AS charge, sum(carrier_cost) AS carrier_cost,
       sum(dtmf_calls)::bigint AS dtmf_calls, sum(pdd_ms_sum)::bigint AS pdd_ms_sum, sum(pdd_count)::bigint AS pdd_count
  FROM cdr_hourly
 GROUP BY operator_id, company_id, date_trunc('day', hour, 'UTC'), dest_code, dest_name, carrier_id;

CREATE VIEW cdr_monthly WITH (security_invoker = true) AS
SELECT operator_id, company_id, date_trunc('month', hour, 'UTC') AS month, dest_code, dest_name, carrier_id,
       sum(attempts)::bigint AS attempts, sum(connected)::bigint AS connected, sum(duration)::bigint AS duration,
       sum(billed_duration)::bigint AS billed_duration, sum(charge) AS charge, sum(carrier_cost) AS carrier_cost,
       sum(dtmf_calls)::bigint AS dtmf_calls, sum(pdd_ms_sum)::bigint AS pdd_ms_sum, sum(pdd_count)::bigint AS pdd_count
  FROM cdr_hourly
 GROUP BY operator_id, company_id, date_trunc('month', hour, 'UTC'), dest_code, dest_name, carrier_id;

GRANT SELECT ON cdr_daily, cdr_monthly TO portal_app;
