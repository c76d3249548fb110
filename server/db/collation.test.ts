import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, testDb } from '../test/db.ts';
import type { Db } from './db.ts';

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await testDb());
});
afterAll(() => close());

/** The CDR and rollup tables whose indexes ingestion and the fold write on every call. */
const HOT = [
  'cdrs',
  'cdr_ids',
  'call_recordings',
  'cdr_rollup_queue',
  'cdr_hourly_store',
  'cdr_daily_store',
  'cdr_chart_slots',
  'cdr_chart_dirty',
];

/** Text key columns of the hot tables' indexes (partitions included) that do not compare as bytes. */
async function linguisticKeys(d: Db): Promise<string[]> {
  const rows = await d.query<{ key: string }>(
    `SELECT format('%s.%s (%s)', t.relname, a.attname, i.relname) AS key
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       LEFT JOIN pg_inherits h ON h.inhrelid = t.oid
       LEFT JOIN pg_class parent ON parent.oid = h.inhparent
       CROSS JOIN LATERAL unnest(x.indkey::int2[], x.indcollation::oid[]) AS k(attnum, coll)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       JOIN pg_collation c ON c.oid = k.coll
      WHERE coalesce(parent.relname, t.relname) = ANY($1::text[]) AND c.collname <> 'C'
      ORDER BY 1`,
    [HOT],
  );
  return rows.map((r) => r.key);
}

describe(`identifier columns compare as bytes (${ENGINE})`, () => {
  it('every text key of the CDR and rollup indexes uses COLLATE "C", monthly partitions included', async () => {
    await db.query('SELECT ensure_cdr_partition($1)', ['2026-03-15T00:00:00Z']);
    expect(await linguisticKeys(db)).toEqual([]);
    const [cdrs] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE p.relname = 'cdrs'`,
    );
    expect(cdrs?.n).toBeGreaterThan(0);
  });

  it('the check catches a key under the database collation', async () => {
    await db.exec('CREATE INDEX collation_probe ON cdr_ids ((call_id COLLATE "default"))');
    try {
      expect(await linguisticKeys(db)).toEqual(['cdr_ids.call_id (collation_probe)']);
    } finally {
      await db.exec('DROP INDEX collation_probe');
    }
  });
});
