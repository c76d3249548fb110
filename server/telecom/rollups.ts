/** Full rebuild of the hourly and daily rollups and the usage counters from the raw CDRs (repair and audit tool). */
import type { Deps } from '../context.ts';
import { withSystem, withTenant } from '../db/db.ts';
import { dailyRollupSql, hourlyRollupSql, usageSql } from './rollup-sql.ts';

/** Rebuilds one operator's rollups in one transaction; ingestion for that operator waits meanwhile. */
export async function rebuildRollups(
  deps: Deps,
  operatorId: string,
): Promise<{ hourly_rows: number; companies: number }> {
  return withTenant(deps.db, operatorId, async (tx) => {
    // SHARE blocks concurrent inserts until the rebuilt figures are committed.
    await tx.query('LOCK TABLE cdrs IN SHARE MODE');
    await tx.query('DELETE FROM cdr_hourly');
    const hourly = await tx.query(`${hourlyRollupSql('cdrs', true)} RETURNING 1`);
    await tx.query('DELETE FROM cdr_daily');
    await tx.query(dailyRollupSql('cdrs', true));
    await tx.query('DELETE FROM company_usage');
    const usage = await tx.query(`${usageSql('cdrs', true)} RETURNING 1`);
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

/**
 * Folds the rows appended by ingestion into one row per key, for the (company, hour) pairs that received
 * new rows. Safe next to ingestion and other compactions: rows committed later are left for the next round.
 */
export async function compactRollups(
  deps: Deps,
  operatorId: string,
): Promise<{ hourly: number; usage: number }> {
  return withTenant(deps.db, operatorId, async (tx) => {
    const hourly = await tx.query(
      `WITH keys AS (SELECT DISTINCT company_id, hour FROM cdr_hourly WHERE NOT compacted),
       gone AS (DELETE FROM cdr_hourly h USING keys k WHERE h.company_id = k.company_id AND h.hour = k.hour RETURNING h.*)
       INSERT INTO cdr_hourly (operator_id, company_id, hour, dest_code, dest_name, carrier_id, attempts, connected, duration,
                               billed_duration, charge, carrier_cost, dtmf_calls, pdd_ms_sum, pdd_count, compacted)
       SELECT operator_id, company_id, hour, dest_code, dest_name, carrier_id, sum(attempts), sum(connected), sum(duration),
              sum(billed_duration), sum(charge), sum(carrier_cost), sum(dtmf_calls), sum(pdd_ms_sum), sum(pdd_count), true
         FROM gone GROUP BY 1, 2, 3, 4, 5, 6
       RETURNING 1`,
    );
    await tx.query(
      `WITH keys AS (SELECT DISTINCT company_id, day FROM cdr_daily WHERE NOT compacted),
       gone AS (DELETE FROM cdr_daily d USING keys k WHERE d.company_id = k.company_id AND d.day = k.day RETURNING d.*)
       INSERT INTO cdr_daily (operator_id, company_id, day, dest_code, dest_name, attempts, connected, duration, billed_duration,
                              charge, dtmf_calls, pdd_ms_sum, pdd_count, compacted)
       SELECT operator_id, company_id, day, dest_code, dest_name, sum(attempts), sum(connected), sum(duration),
              sum(billed_duration), sum(charge), sum(dtmf_calls), sum(pdd_ms_sum), sum(pdd_count), true
         FROM gone GROUP BY 1, 2, 3, 4, 5`,
    );
    const usage = await tx.query(
      `WITH keys AS (SELECT DISTINCT company_id FROM company_usage WHERE NOT compacted),
       gone AS (DELETE FROM company_usage u USING keys k WHERE u.company_id = k.company_id RETURNING u.*)
       INSERT INTO company_usage (operator_id, company_id, call_charges, compacted)
       SELECT operator_id, company_id, sum(call_charges), true FROM gone GROUP BY 1, 2
       RETURNING 1`,
    );
    return { hourly: hourly.length, usage: usage.length };
  });
}

/** Compacts every operator's rollups; the worker runs this every 30 seconds. */
export async function compactAll(deps: Deps): Promise<void> {
  for (const id of await allOperatorIds(deps)) await compactRollups(deps, id);
}
