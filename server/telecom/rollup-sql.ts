/**
 * The rollup aggregations, defined once: ingestion folds each batch with them and the rebuild recomputes
 * from all CDRs with them, so the two can never disagree. `from` is any relation with the CDR columns.
 */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const MEASURES = `count(*), count(*) FILTER (WHERE duration > 0), sum(duration), sum(billed_duration), sum(charge)`;
const QUALITY = `count(*) FILTER (WHERE duration > 0 AND dtmf <> ''), coalesce(sum(pdd_ms), 0), count(pdd_ms)`;

/** INSERT … SELECT of hourly rows (company × hour × destination × carrier). */
export function hourlyRollupSql(from: string, compacted: boolean): string {
  return `INSERT INTO cdr_hourly (operator_id, company_id, hour, dest_code, dest_name, carrier_id, attempts, connected, duration,
                          billed_duration, charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count, compacted)
  SELECT operator_id, company_id, date_trunc('hour', start_time, 'UTC'), coalesce(dest_code, ''), coalesce(dest_name, ''),
         coalesce(carrier_id, '${NIL_UUID}'), ${MEASURES}, coalesce(sum(carrier_cost), 0), ${QUALITY}, ${compacted}
    FROM ${from} GROUP BY 1, 2, 3, 4, 5, 6`;
}

/** INSERT … SELECT of daily rows (company × day × destination). */
export function dailyRollupSql(from: string, compacted: boolean): string {
  return `INSERT INTO cdr_daily (operator_id, company_id, day, dest_code, dest_name, attempts, connected, duration, billed_duration,
                         charge, dtmf_calls, pdd_ms_sum, pdd_count, compacted)
  SELECT operator_id, company_id, date_trunc('day', start_time, 'UTC'), coalesce(dest_code, ''), coalesce(dest_name, ''),
         ${MEASURES}, ${QUALITY}, ${compacted}
    FROM ${from} GROUP BY 1, 2, 3, 4, 5`;
}

/** INSERT … SELECT of call charges per company. */
export function usageSql(from: string, compacted: boolean): string {
  return `INSERT INTO company_usage (operator_id, company_id, call_charges, compacted)
  SELECT operator_id, company_id, sum(charge), ${compacted} FROM ${from} GROUP BY 1, 2`;
}
