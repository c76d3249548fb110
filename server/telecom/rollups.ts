/** Full rebuild of the hourly rollup and the usage counters from the raw CDRs (repair and audit tool). */
import type { Deps } from '../context.ts';
import { withSystem, withTenant } from '../db/db.ts';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Rebuilds one operator's rollups in one transaction; ingestion for that operator waits meanwhile. */
export async function rebuildRollups(
  deps: Deps,
  operatorId: string,
): Promise<{ hourly_rows: number; companies: number }> {
  return withTenant(deps.db, operatorId, async (tx) => {
    // SHARE blocks concurrent inserts until the rebuilt figures are committed.
    await tx.query('LOCK TABLE cdrs IN SHARE MODE');
    await tx.query('DELETE FROM cdr_hourly');
    const hourly = await tx.query(
      `INSERT INTO cdr_hourly (operator_id, company_id, hour, dest_code, dest_name, carrier_id, attempts, connected, duration,
                               billed_duration, charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count)
       SELECT operator_id, company_id, date_trunc('hour', start_time, 'UTC'), coalesce(dest_code, ''), coalesce(dest_name, ''),
              coalesce(carrier_id, '${NIL_UUID}'), count(*), count(*) FILTER (WHERE duration > 0), sum(duration),
              sum(billed_duration), sum(charge), coalesce(sum(carrier_cost), 0),
              count(*) FILTER (WHERE duration > 0 AND dtmf <> ''), coalesce(sum(pdd_ms), 0), count(pdd_ms)
         FROM cdrs GROUP BY 1, 2, 3, 4, 5, 6
       RETURNING 1`,
    );
    await tx.query('DELETE FROM company_usage');
    const usage = await tx.query(
      `INSERT INTO company_usage (operator_id, company_id, call_charges)
       SELECT operator_id, company_id, sum(charge) FROM cdrs GROUP BY 1, 2 RETURNING 1`,
    );
    return { hourly_rows: hourly.length, companies: usage.length };
  });
}

/** Every operator's id, for a platform-wide rebuild. */
export async function allOperatorIds(deps: Deps): Promise<string[]> {
  return (
    await withSystem(deps.db, (tx) =>
      tx.query<{ id: string }>('SELECT id FROM operators ORDER BY created_at'),
    )
  ).map((r) => r.id);
}
