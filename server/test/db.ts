/** A fresh, migrated database for one test file: a PGlite copy, or a server database cloned from the template. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Db, openDb } from '../db/db.ts';

export const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** Opens a private database; close() drops it on the server. */
export async function testDb(): Promise<{ db: Db; url: string | null; close: () => Promise<void> }> {
  const template = inject('templateDb');
  const url = process.env.DATABASE_URL;
  if (!url) {
    const blob = new Blob([fs.readFileSync(template)]);
    const db = await openDb({ url: null, dataDir: null, loadDataDir: blob });
    return { db, url: null, close: () => db.close() };
  }
  const name = `vpp_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDb({ url: u.toString(), dataDir: null, poolSize: 4 });
  return {
    db,
    url: u.toString(),
    close: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
