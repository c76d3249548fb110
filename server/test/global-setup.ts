/**
 * Prepares one migrated database image per run, so each test file starts from a copy instead of
 * re-running initdb and migrations: a PGlite data-dir dump, or a template database on the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDb, PgliteDb } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';

export const TEMPLATE_DUMP = path.resolve('.tmp', `pglite-template-${process.pid}.tar`);

export default async function setup({ provide }: { provide: (key: 'templateDb', value: string) => void }) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `vpp_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const db = await openDb({ url: u.toString(), dataDir: null, poolSize: 2 });
    await migrate(db);
    await db.close();
    provide('templateDb', name);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    };
  }
  fs.mkdirSync(path.dirname(TEMPLATE_DUMP), { recursive: true });
  const db = await PgliteDb.open(null);
  await migrate(db);
  fs.writeFileSync(TEMPLATE_DUMP, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
  await db.close();
  provide('templateDb', TEMPLATE_DUMP);
  return () => fs.rmSync(TEMPLATE_DUMP, { force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
