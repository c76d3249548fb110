/**
 * Child process of bench/me.ts: the real app on one port and, on another, a bare Fastify route doing
 * one primary-key SELECT on the same database (the baseline).
 */
import Fastify from 'fastify';
import { buildApp } from '../server/app.ts';
import { boot } from '../server/boot.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { loadEnv } from '../server/env.ts';

const [appPort, barePort] = process.argv.slice(2).map(Number);
const env = loadEnv({ ...process.env, LOG_LEVEL: 'silent', DEMO: 'true', SECRET_KEY: 'bench' });
const deps = await boot(env);
await seedDemo(deps);
const app = await buildApp(deps);
await app.listen({ port: appPort!, host: '127.0.0.1' });

const [company] = await deps.db.query<{ id: string }>('SELECT id FROM companies ORDER BY created_at LIMIT 1');
const bare = Fastify();
bare.get('/pk', async () => {
  const rows = await deps.db.query('SELECT id, name, currency, debit_limit FROM companies WHERE id = $1', [
    company!.id,
  ]);
  return rows[0];
});
await bare.listen({ port: barePort!, host: '127.0.0.1' });
process.stdout.write('ready\n');
