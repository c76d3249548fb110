/**
 * The rollup aggregations, defined once. Ingestion appends each new CDR's queue projection to
 * cdr_rollup_queue; the fold and the full rebuild both aggregate queue-shaped rows with the same upserts,
 * so folding and rebuilding can never disagree. The views cdr_hourly and cdr_daily add the queued rows.
 */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export const QUEUE_COLUMNS =
  'operator_id, company_id, start_time, dest_code, dest_name, carrier_id, duration, billed_duration, charge, carrier_cost, dtmf_call, pdd_ms, ring_duration';

/** What the rollups need of each CDR in `from` (any relation with the CDR columns). */
export function queueProjection(from: string): string {
  return `SELECT operator_id, company_id, start_time, coalesce(dest_code, '') AS dest_code, coalesce(dest_name, '') AS dest_name,
         coalesce(carrier_id, '${NIL_UUID}') AS carrier_id, duration, billed_duration, charge,
         coalesce(carrier_cost, 0) AS carrier_cost, dtmf <> '' AS dtmf_call, pdd_ms, ring_duration
    FROM ${from}`;
}

/** INSERT of the queue projection of the CDRs in `from`. */
export function queueInsertSql(from: string): string {
  return `INSERT INTO cdr_rollup_queue (${QUEUE_COLUMNS}) ${queueProjection(from)}`;
}

const MEASURES = `count(*), count(*) FILTER (WHERE duration > 0), sum(duration), sum(billed_duration), sum(charge)`;
const QUALITY = `count(*) FILTER (WHERE duration > 0 AND dtmf_call), coalesce(sum(pdd_ms), 0), count(pdd_ms)`;
const ADD = (cols: string[], table: string) =>
  cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

/** Upsert of hourly rows (company × hour × destination × carrier) from queue-shaped rows in `q`. */
export function hourlyUpsertSql(q: string): string {
  return `INSERT INTO cdr_hourly_store (operator_id, company_id, hour, dest_code, dest_name, carrier_id, attempts, connected,
                                duration, billed_duration, charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count)
  SELECT operator_id, company_id, date_trunc('hour', start_time, 'UTC'), dest_code, dest_name, carrier_id, ${MEASURES},
         sum(carrier_cost), ${QUALITY}
    FROM ${q} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (operator_id, company_id, hour, dest_code, dest_name, carrier_id) DO UPDATE SET
    ${ADD(['attempts', 'connected', 'duration', 'billed_duration', 'charge', 'carrier_cost', 'dtmf_calls', 'pdd_ms_sum', 'pdd_count'], 'cdr_hourly_store')}`;
}

/** Upsert of daily rows (company × day × destination) from queue-shaped rows in `q`. */
export function dailyUpsertSql(q: string): string {
  return `INSERT INTO cdr_daily_store (operator_id, company_id, day, dest_code, dest_name, attempts, connected, duration,
                               billed_duration, charge, dtmf_calls, pdd_ms_sum, pdd_count)
  SELECT operator_id, company_id, date_trunc('day', start_time, 'UTC'), dest_code, dest_name, ${MEASURES}, ${QUALITY}
    FROM ${q} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (operator_id, company_id, day, dest_code, dest_name) DO UPDATE SET
    ${ADD(['attempts', 'connected', 'duration', 'billed_duration', 'charge', 'dtmf_calls', 'pdd_ms_sum', 'pdd_count'], 'cdr_daily_store')}`;
}

/** INSERT … SELECT of call charges per company. */
export function usageSql(from: string, compacted: boolean): string {
  return `INSERT INTO company_usage (operator_id, company_id, call_charges, compacted)
  SELECT operator_id, company_id, sum(charge), ${compacted} FROM ${from} GROUP BY 1, 2`;
}
