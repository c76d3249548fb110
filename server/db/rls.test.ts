import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, testDb } from '../test/db.ts';
import { APP_ROLE, type Db, withTenant } from './db.ts';

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await testDb());
});
afterAll(() => close());

/** Tables with operator_id that lack forced RLS or a policy on app_operator_id(). */
async function unprotectedTables(d: Db): Promise<string[]> {
  const rows = await d.query<{ table_name: string; forced: boolean; enabled: boolean; policies: number }>(
    `SELECT c.relname AS table_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
            (SELECT count(*)::int FROM pg_policy p
              WHERE p.polrelid = c.oid AND pg_get_expr(p.polqual, p.polrelid) LIKE '%app_operator_id()%'
                AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%app_operator_id()%') AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'operator_id' AND NOT a.attisdropped)`,
  );
  return rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table_name);
}

describe(`row-level security (${ENGINE})`, () => {
  it('every table with operator_id has forced RLS and a tenant policy', async () => {
    expect(await unprotectedTables(db)).toEqual([]);
  });

  it('the check catches a table without the policy', async () => {
    await db.exec('CREATE TABLE rls_probe (operator_id uuid NOT NULL, note text)');
    try {
      expect(await unprotectedTables(db)).toEqual(['rls_probe']);
    } finally {
      await db.exec('DROP TABLE rls_probe');
    }
  });

  it('tenant transactions run as a role that is neither superuser nor BYPASSRLS', async () => {
    const [r] = await db.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
      [APP_ROLE],
    );
    expect(r).toEqual({ rolsuper: false, rolbypassrls: false });
    const [op] = await db.query<{ id: string }>("INSERT INTO operators (name) VALUES ('rls') RETURNING id");
    const [who] = await withTenant(db, op!.id, (tx) => tx.query<{ u: string }>('SELECT current_user AS u'));
    expect(who!.u).toBe(APP_ROLE);
  });

  it('a tenant sees and writes only its own rows', async () => {
    const [a] = await db.query<{ id: string }>("INSERT INTO operators (name) VALUES ('a') RETURNING id");
    const [b] = await db.query<{ id: string }>("INSERT INTO operators (name) VALUES ('b') RETURNING id");
    await withTenant(db, a!.id, (tx) =>
      tx.query(
        "INSERT INTO companies (operator_id, type, name, currency) VALUES ($1, 'customer', 'A only', 'USD')",
        [a!.id],
      ),
    );
    const seenByB = await withTenant(db, b!.id, (tx) =>
      tx.query("SELECT * FROM companies WHERE name = 'A only'"),
    );
    expect(seenByB).toEqual([]);
    await expect(
      withTenant(db, b!.id, (tx) =>
        tx.query(
          "INSERT INTO companies (operator_id, type, name, currency) VALUES ($1, 'customer', 'forged', 'USD')",
          [a!.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await withTenant(db, b!.id, (tx) =>
      tx.query("UPDATE companies SET name = 'x' WHERE name = 'A only' RETURNING id"),
    );
    expect(updated).toEqual([]);
    const ops = await withTenant(db, b!.id, (tx) => tx.query<{ id: string }>('SELECT id FROM operators'));
    expect(ops.map((o) => o.id)).toEqual([b!.id]);
  });

  it('without a tenant setting nothing is visible', async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [APP_ROLE]);
      return tx.query('SELECT * FROM companies');
    });
    expect(rows).toEqual([]);
  });
});
