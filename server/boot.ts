/** Opens the database, applies migrations and assembles the dependencies every role shares. */
import type { Deps } from './context.ts';
import { type Db, openDb, withSystem, withTenant } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { createMailer } from './emails/mailer.ts';
import type { Env } from './env.ts';
import { resolveSecretKey, secretBox } from './lib/secrets.ts';
import { DOMAIN_CHANNEL, SiteResolver } from './plugins/sites.ts';
import { rebuildChartSlots } from './telecom/chart-slots.ts';

const CHART_SLOTS_MIGRATION = '013_chart_slots.sql';

/** The chart slots of the CDRs that existed before they did (once, right after their migration). */
async function buildChartSlots(db: Db): Promise<void> {
  const operators = await withSystem(db, (tx) => tx.query<{ id: string }>('SELECT id FROM operators'));
  for (const { id } of operators) await withTenant(db, id, (tx) => rebuildChartSlots(tx));
}

/** Ready-to-use dependencies on a migrated database. */
export async function boot(env: Env, overrides: Partial<Deps> = {}): Promise<Deps> {
  const db = overrides.db ?? (await openDb({ url: env.databaseUrl, dataDir: env.dataDir }));
  const applied = await migrate(db);
  if (applied.includes(CHART_SLOTS_MIGRATION)) await buildChartSlots(db);
  const sites = new SiteResolver(db, env.consoleHost);
  if (db.engine === 'postgres') {
    await db.listen(DOMAIN_CHANNEL, (host) => sites.invalidate(host || undefined));
  }
  const key = resolveSecretKey(env.secretKey, env.dataDir, env.databaseUrl === null);
  return { db, env, box: secretBox(key), sites, mailer: overrides.mailer ?? createMailer(), ...overrides };
}
